;; Histogram kernels (see histogram-kernel.ts): add gradient/hessian pairs into bins of four
;; features, or one, per pass over a leaf's rows. Every argument is a byte offset into the
;; module's memory except `count`. Bins are one byte per row (Uint8, feature-major); `g`/`hs` are
;; the leaf's gradients and hessians in leaf order (float64); a histogram slot is 16 bytes
;; (gradient sum, then hessian sum). The *_rows variants read row r = rows[k] (int32) and the bin
;; at column + r; the *_all variants read row k. Additions run in row order per slot, exactly as
;; the JavaScript loops they replace, so sums are bit-identical.
;; `fix` and `sub` are histogram.ts's fixMostFreqBins (one feature) and subtractHistogram (a run
;; of slots), operation for operation; `gather` and `split` serve the learner and its partition.
;; Regenerate histogram-wasm.ts after editing: node scripts/build-histogram-wasm.mjs
(module
  (memory (export "memory") 1)

  (func (export "acc4_all")
    (param $c0 i32) (param $c1 i32) (param $c2 i32) (param $c3 i32)
    (param $h0 i32) (param $h1 i32) (param $h2 i32) (param $h3 i32)
    (param $g i32) (param $hs i32) (param $count i32)
    (local $k i32) (local $s i32) (local $gk f64) (local $hk f64)
    (if (i32.eqz (local.get $count)) (then (return)))
    (loop $next
      (local.set $gk (f64.load (i32.add (local.get $g) (i32.shl (local.get $k) (i32.const 3)))))
      (local.set $hk (f64.load (i32.add (local.get $hs) (i32.shl (local.get $k) (i32.const 3)))))
      (local.set $s (i32.add (local.get $h0) (i32.shl (i32.load8_u (i32.add (local.get $c0) (local.get $k))) (i32.const 4))))
      (f64.store (local.get $s) (f64.add (f64.load (local.get $s)) (local.get $gk)))
      (f64.store offset=8 (local.get $s) (f64.add (f64.load offset=8 (local.get $s)) (local.get $hk)))
      (local.set $s (i32.add (local.get $h1) (i32.shl (i32.load8_u (i32.add (local.get $c1) (local.get $k))) (i32.const 4))))
      (f64.store (local.get $s) (f64.add (f64.load (local.get $s)) (local.get $gk)))
      (f64.store offset=8 (local.get $s) (f64.add (f64.load offset=8 (local.get $s)) (local.get $hk)))
      (local.set $s (i32.add (local.get $h2) (i32.shl (i32.load8_u (i32.add (local.get $c2) (local.get $k))) (i32.const 4))))
      (f64.store (local.get $s) (f64.add (f64.load (local.get $s)) (local.get $gk)))
      (f64.store offset=8 (local.get $s) (f64.add (f64.load offset=8 (local.get $s)) (local.get $hk)))
      (local.set $s (i32.add (local.get $h3) (i32.shl (i32.load8_u (i32.add (local.get $c3) (local.get $k))) (i32.const 4))))
      (f64.store (local.get $s) (f64.add (f64.load (local.get $s)) (local.get $gk)))
      (f64.store offset=8 (local.get $s) (f64.add (f64.load offset=8 (local.get $s)) (local.get $hk)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $k) (local.get $count)))))

  (func (export "acc4_rows")
    (param $c0 i32) (param $c1 i32) (param $c2 i32) (param $c3 i32)
    (param $h0 i32) (param $h1 i32) (param $h2 i32) (param $h3 i32)
    (param $g i32) (param $hs i32) (param $rows i32) (param $count i32)
    (local $k i32) (local $r i32) (local $s i32) (local $gk f64) (local $hk f64)
    (if (i32.eqz (local.get $count)) (then (return)))
    (loop $next
      (local.set $r (i32.load (i32.add (local.get $rows) (i32.shl (local.get $k) (i32.const 2)))))
      (local.set $gk (f64.load (i32.add (local.get $g) (i32.shl (local.get $k) (i32.const 3)))))
      (local.set $hk (f64.load (i32.add (local.get $hs) (i32.shl (local.get $k) (i32.const 3)))))
      (local.set $s (i32.add (local.get $h0) (i32.shl (i32.load8_u (i32.add (local.get $c0) (local.get $r))) (i32.const 4))))
      (f64.store (local.get $s) (f64.add (f64.load (local.get $s)) (local.get $gk)))
      (f64.store offset=8 (local.get $s) (f64.add (f64.load offset=8 (local.get $s)) (local.get $hk)))
      (local.set $s (i32.add (local.get $h1) (i32.shl (i32.load8_u (i32.add (local.get $c1) (local.get $r))) (i32.const 4))))
      (f64.store (local.get $s) (f64.add (f64.load (local.get $s)) (local.get $gk)))
      (f64.store offset=8 (local.get $s) (f64.add (f64.load offset=8 (local.get $s)) (local.get $hk)))
      (local.set $s (i32.add (local.get $h2) (i32.shl (i32.load8_u (i32.add (local.get $c2) (local.get $r))) (i32.const 4))))
      (f64.store (local.get $s) (f64.add (f64.load (local.get $s)) (local.get $gk)))
      (f64.store offset=8 (local.get $s) (f64.add (f64.load offset=8 (local.get $s)) (local.get $hk)))
      (local.set $s (i32.add (local.get $h3) (i32.shl (i32.load8_u (i32.add (local.get $c3) (local.get $r))) (i32.const 4))))
      (f64.store (local.get $s) (f64.add (f64.load (local.get $s)) (local.get $gk)))
      (f64.store offset=8 (local.get $s) (f64.add (f64.load offset=8 (local.get $s)) (local.get $hk)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $k) (local.get $count)))))

  (func (export "acc1_all")
    (param $c i32) (param $h i32) (param $g i32) (param $hs i32) (param $count i32)
    (local $k i32) (local $s i32)
    (if (i32.eqz (local.get $count)) (then (return)))
    (loop $next
      (local.set $s (i32.add (local.get $h) (i32.shl (i32.load8_u (i32.add (local.get $c) (local.get $k))) (i32.const 4))))
      (f64.store (local.get $s) (f64.add (f64.load (local.get $s)) (f64.load (i32.add (local.get $g) (i32.shl (local.get $k) (i32.const 3))))))
      (f64.store offset=8 (local.get $s) (f64.add (f64.load offset=8 (local.get $s)) (f64.load (i32.add (local.get $hs) (i32.shl (local.get $k) (i32.const 3))))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $k) (local.get $count)))))

  (func (export "acc1_rows")
    (param $c i32) (param $h i32) (param $g i32) (param $hs i32) (param $rows i32) (param $count i32)
    (local $k i32) (local $s i32)
    (if (i32.eqz (local.get $count)) (then (return)))
    (loop $next
      (local.set $s (i32.add (local.get $h) (i32.shl (i32.load8_u (i32.add (local.get $c) (i32.load (i32.add (local.get $rows) (i32.shl (local.get $k) (i32.const 2)))))) (i32.const 4))))
      (f64.store (local.get $s) (f64.add (f64.load (local.get $s)) (f64.load (i32.add (local.get $g) (i32.shl (local.get $k) (i32.const 3))))))
      (f64.store offset=8 (local.get $s) (f64.add (f64.load offset=8 (local.get $s)) (f64.load (i32.add (local.get $hs) (i32.shl (local.get $k) (i32.const 3))))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $k) (local.get $count)))))

  ;; The feature's slots from $h, $bins of them: slot $m := ($g, $hs) minus every other slot, in order.
  (func (export "fix") (param $h i32) (param $bins i32) (param $m i32) (param $g f64) (param $hs f64)
    (local $b i32) (local $s i32)
    (loop $next
      (if (i32.ne (local.get $b) (local.get $m))
        (then
          (local.set $s (i32.add (local.get $h) (i32.shl (local.get $b) (i32.const 4))))
          (local.set $g (f64.sub (local.get $g) (f64.load (local.get $s))))
          (local.set $hs (f64.sub (local.get $hs) (f64.load offset=8 (local.get $s))))))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $b) (local.get $bins))))
    (local.set $s (i32.add (local.get $h) (i32.shl (local.get $m) (i32.const 4))))
    (f64.store (local.get $s) (local.get $g))
    (f64.store offset=8 (local.get $s) (local.get $hs)))

  ;; $n doubles: target[i] := parent[i] - child[i] (target may be parent).
  (func (export "sub") (param $parent i32) (param $child i32) (param $target i32) (param $n i32)
    (local $i i32)
    (if (i32.eqz (local.get $n)) (then (return)))
    (loop $next
      (f64.store (local.get $target) (f64.sub (f64.load (local.get $parent)) (f64.load (local.get $child))))
      (local.set $parent (i32.add (local.get $parent) (i32.const 8)))
      (local.set $child (i32.add (local.get $child) (i32.const 8)))
      (local.set $target (i32.add (local.get $target) (i32.const 8)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (local.get $n)))))

  ;; Leaf-order gradients: og[k] := g[rows[k]], oh[k] := hs[rows[k]] for k < count.
  (func (export "gather") (param $rows i32) (param $count i32) (param $g i32) (param $hs i32) (param $og i32) (param $oh i32)
    (local $k i32) (local $r i32)
    (if (i32.eqz (local.get $count)) (then (return)))
    (loop $next
      (local.set $r (i32.shl (i32.load (i32.add (local.get $rows) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 3)))
      (f64.store (i32.add (local.get $og) (i32.shl (local.get $k) (i32.const 3))) (f64.load (i32.add (local.get $g) (local.get $r))))
      (f64.store (i32.add (local.get $oh) (i32.shl (local.get $k) (i32.const 3))) (f64.load (i32.add (local.get $hs) (local.get $r))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $k) (local.get $count)))))

  ;; data-partition.ts's split: the $count row indices from $idx go left when their bin in column
  ;; $col is <= $thr (the bin $missing goes left iff $defLeft), stably; right ones pass through
  ;; $tmp and follow the left ones. Both stores happen every row (no branch to mispredict); the
  ;; left store never overwrites an index not yet read. Returns the left count.
  (func (export "split") (param $idx i32) (param $count i32) (param $col i32) (param $thr i32)
        (param $missing i32) (param $defLeft i32) (param $tmp i32) (result i32)
    (local $k i32) (local $r i32) (local $b i32) (local $left i32) (local $write i32) (local $right i32)
    (local.set $write (local.get $idx))
    (local.set $right (local.get $tmp))
    (if (i32.eqz (local.get $count)) (then (return (i32.const 0))))
    (loop $next
      (local.set $r (i32.load (i32.add (local.get $idx) (i32.shl (local.get $k) (i32.const 2)))))
      (local.set $b (i32.load8_u (i32.add (local.get $col) (local.get $r))))
      (local.set $left
        (select (local.get $defLeft) (i32.le_s (local.get $b) (local.get $thr)) (i32.eq (local.get $b) (local.get $missing))))
      (i32.store (local.get $write) (local.get $r))
      (i32.store (local.get $right) (local.get $r))
      (local.set $write (i32.add (local.get $write) (i32.shl (local.get $left) (i32.const 2))))
      (local.set $right (i32.add (local.get $right) (i32.shl (i32.xor (local.get $left) (i32.const 1)) (i32.const 2))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $k) (local.get $count))))
    (memory.copy (local.get $write) (local.get $tmp) (i32.sub (local.get $right) (local.get $tmp)))
    (i32.shr_u (i32.sub (local.get $write) (local.get $idx)) (i32.const 2))))
