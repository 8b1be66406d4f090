;; Histogram kernels (see histogram-kernel.ts): add gradient/hessian pairs into bins of four
;; features, or one, per pass over a leaf's rows. Every argument is a byte offset into the
;; module's memory except `count`. Bins are one byte per row (Uint8, feature-major); `gh` holds
;; the leaf's (gradient, hessian) pairs in leaf order (float64, made by `gather` or `pair`), so a
;; row's pair is one 16-byte load; a histogram slot is 16 bytes (gradient sum, then hessian
;; sum). The *_rows variants read row r = rows[k] (int32) and the bin at column + r; the *_all
;; variants read row k. Additions run in row order per slot, exactly as
;; the JavaScript loops they replace, so sums are bit-identical: a slot's gradient and hessian are
;; added in one f64x2 addition (each lane is the scalar addition; ~12 % faster than two).
;; `fix` and `sub` are histogram.ts's fixMostFreqBins (one feature) and subtractHistogram (a run
;; of slots), operation for operation; `gather` and `split` serve the learner and its partition.
;; Regenerate histogram-wasm.ts after editing: npm run build:wasm (scripts/build-histogram-wasm.mjs)
(module
  (memory (export "memory") 1)

  (func (export "acc4_all")
    (param $c0 i32) (param $c1 i32) (param $c2 i32) (param $c3 i32)
    (param $h0 i32) (param $h1 i32) (param $h2 i32) (param $h3 i32)
    (param $gh i32) (param $count i32)
    (local $k i32) (local $s i32) (local $v v128)
    (if (i32.eqz (local.get $count)) (then (return)))
    (loop $next
      (local.set $v (v128.load (i32.add (local.get $gh) (i32.shl (local.get $k) (i32.const 4)))))
      (local.set $s (i32.add (local.get $h0) (i32.shl (i32.load8_u (i32.add (local.get $c0) (local.get $k))) (i32.const 4))))
      (v128.store (local.get $s) (f64x2.add (v128.load (local.get $s)) (local.get $v)))
      (local.set $s (i32.add (local.get $h1) (i32.shl (i32.load8_u (i32.add (local.get $c1) (local.get $k))) (i32.const 4))))
      (v128.store (local.get $s) (f64x2.add (v128.load (local.get $s)) (local.get $v)))
      (local.set $s (i32.add (local.get $h2) (i32.shl (i32.load8_u (i32.add (local.get $c2) (local.get $k))) (i32.const 4))))
      (v128.store (local.get $s) (f64x2.add (v128.load (local.get $s)) (local.get $v)))
      (local.set $s (i32.add (local.get $h3) (i32.shl (i32.load8_u (i32.add (local.get $c3) (local.get $k))) (i32.const 4))))
      (v128.store (local.get $s) (f64x2.add (v128.load (local.get $s)) (local.get $v)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $k) (local.get $count)))))

  (func (export "acc4_rows")
    (param $c0 i32) (param $c1 i32) (param $c2 i32) (param $c3 i32)
    (param $h0 i32) (param $h1 i32) (param $h2 i32) (param $h3 i32)
    (param $gh i32) (param $rows i32) (param $count i32)
    (local $k i32) (local $r i32) (local $s i32) (local $v v128)
    (if (i32.eqz (local.get $count)) (then (return)))
    (loop $next
      (local.set $r (i32.load (i32.add (local.get $rows) (i32.shl (local.get $k) (i32.const 2)))))
      (local.set $v (v128.load (i32.add (local.get $gh) (i32.shl (local.get $k) (i32.const 4)))))
      (local.set $s (i32.add (local.get $h0) (i32.shl (i32.load8_u (i32.add (local.get $c0) (local.get $r))) (i32.const 4))))
      (v128.store (local.get $s) (f64x2.add (v128.load (local.get $s)) (local.get $v)))
      (local.set $s (i32.add (local.get $h1) (i32.shl (i32.load8_u (i32.add (local.get $c1) (local.get $r))) (i32.const 4))))
      (v128.store (local.get $s) (f64x2.add (v128.load (local.get $s)) (local.get $v)))
      (local.set $s (i32.add (local.get $h2) (i32.shl (i32.load8_u (i32.add (local.get $c2) (local.get $r))) (i32.const 4))))
      (v128.store (local.get $s) (f64x2.add (v128.load (local.get $s)) (local.get $v)))
      (local.set $s (i32.add (local.get $h3) (i32.shl (i32.load8_u (i32.add (local.get $c3) (local.get $r))) (i32.const 4))))
      (v128.store (local.get $s) (f64x2.add (v128.load (local.get $s)) (local.get $v)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $k) (local.get $count)))))

  (func (export "acc1_all")
    (param $c i32) (param $h i32) (param $gh i32) (param $count i32)
    (local $k i32) (local $s i32)
    (if (i32.eqz (local.get $count)) (then (return)))
    (loop $next
      (local.set $s (i32.add (local.get $h) (i32.shl (i32.load8_u (i32.add (local.get $c) (local.get $k))) (i32.const 4))))
      (v128.store (local.get $s) (f64x2.add (v128.load (local.get $s)) (v128.load (i32.add (local.get $gh) (i32.shl (local.get $k) (i32.const 4))))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $k) (local.get $count)))))

  (func (export "acc1_rows")
    (param $c i32) (param $h i32) (param $gh i32) (param $rows i32) (param $count i32)
    (local $k i32) (local $s i32)
    (if (i32.eqz (local.get $count)) (then (return)))
    (loop $next
      (local.set $s (i32.add (local.get $h) (i32.shl (i32.load8_u (i32.add (local.get $c) (i32.load (i32.add (local.get $rows) (i32.shl (local.get $k) (i32.const 2)))))) (i32.const 4))))
      (v128.store (local.get $s) (f64x2.add (v128.load (local.get $s)) (v128.load (i32.add (local.get $gh) (i32.shl (local.get $k) (i32.const 4))))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $k) (local.get $count)))))

  ;; The feature's slots from $h, $bins of them: slot $m := ($g, $hs) minus every other slot, in order.
  ;; Both subtractions in one f64x2 subtraction (each lane is the scalar one).
  (func (export "fix") (param $h i32) (param $bins i32) (param $m i32) (param $g f64) (param $hs f64)
    (local $b i32) (local $s i32) (local $gh v128)
    (local.set $gh (f64x2.replace_lane 1 (f64x2.splat (local.get $g)) (local.get $hs)))
    (loop $next
      (if (i32.ne (local.get $b) (local.get $m))
        (then
          (local.set $gh (f64x2.sub (local.get $gh)
            (v128.load (i32.add (local.get $h) (i32.shl (local.get $b) (i32.const 4))))))))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $b) (local.get $bins))))
    (v128.store (i32.add (local.get $h) (i32.shl (local.get $m) (i32.const 4))) (local.get $gh)))

  ;; $n doubles, $n even (whole slots): target[i] := parent[i] - child[i] (target may be parent),
  ;; two lanes at a time (each lane's subtraction is the scalar one, so the bits are the same).
  (func (export "sub") (param $parent i32) (param $child i32) (param $target i32) (param $n i32)
    (local $end i32)
    (if (i32.eqz (local.get $n)) (then (return)))
    (local.set $end (i32.add (local.get $target) (i32.shl (local.get $n) (i32.const 3))))
    (loop $next
      (v128.store (local.get $target) (f64x2.sub (v128.load (local.get $parent)) (v128.load (local.get $child))))
      (local.set $parent (i32.add (local.get $parent) (i32.const 16)))
      (local.set $child (i32.add (local.get $child) (i32.const 16)))
      (local.set $target (i32.add (local.get $target) (i32.const 16)))
      (br_if $next (i32.lt_u (local.get $target) (local.get $end)))))

  ;; $bytes bytes from $at := 0 (a run of histogram slots before accumulating into them).
  (func (export "zero") (param $at i32) (param $bytes i32)
    (memory.fill (local.get $at) (i32.const 0) (local.get $bytes)))

  ;; Gradient and hessian pairs in leaf order (the accumulating loops' input): out[k] :=
  ;; (g[rows[k]], hs[rows[k]]) for k < count.
  (func (export "gather") (param $rows i32) (param $count i32) (param $g i32) (param $hs i32) (param $out i32)
    (local $k i32) (local $r i32)
    (if (i32.eqz (local.get $count)) (then (return)))
    (loop $next
      (local.set $r (i32.shl (i32.load (i32.add (local.get $rows) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 3)))
      (v128.store (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 4)))
        (f64x2.replace_lane 1 (f64x2.splat (f64.load (i32.add (local.get $g) (local.get $r))))
          (f64.load (i32.add (local.get $hs) (local.get $r)))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $k) (local.get $count)))))

  ;; The same pairs for rows 0..count-1: out[k] := (g[k], hs[k]).
  (func (export "pair") (param $count i32) (param $g i32) (param $hs i32) (param $out i32)
    (local $k i32) (local $r i32)
    (if (i32.eqz (local.get $count)) (then (return)))
    (loop $next
      (local.set $r (i32.shl (local.get $k) (i32.const 3)))
      (v128.store (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 4)))
        (f64x2.replace_lane 1 (f64x2.splat (f64.load (i32.add (local.get $g) (local.get $r))))
          (f64.load (i32.add (local.get $hs) (local.get $r)))))
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
    (i32.shr_u (i32.sub (local.get $write) (local.get $idx)) (i32.const 2)))

  ;; split-finder.ts's scanDown and scanUp for a leaf without monotone constraints, path
  ;; smoothing or lambda_l1 (the closed-form gain), operation for operation, comparisons written so
  ;; that NaN behaves as in JavaScript. No L1 test per bin: it was ~15 % of the scan's time, and a
  ;; leaf with lambda_l1 > 0 is scanned in JavaScript. Gradient and hessian sums travel as f64x2
  ;; pairs and both sides' gains share one f64x2 multiply, add and divide: each lane is the scalar
  ;; operation, so the bits are the same, and the scan is FP-port bound (~10 % faster so). $io holds nine f64 inputs (the leaf's
  ;; gradient sum, hessian sum, count and count factor, min_data_in_leaf, min_sum_hessian_in_leaf,
  ;; an unused slot, lambda_l2, the gain to beat), then receives five outputs: the best gain (-inf
  ;; if none), its left gradient, hessian and count, its threshold bin. Returns 1 if any
  ;; candidate's gain exceeded the gain to beat (LightGBM's is_splittable).
  (func (export "scan_down")
    (param $base i32) (param $top i32) (param $skip i32) (param $rh0 f64)
    (param $io i32) (result i32)
    (local $b i32) (local $s i32) (local $ok i32) (local $h f64) (local $rh f64)
    (local $rc f64) (local $lh f64) (local $lc f64)
    (local $gain f64) (local $best f64)
    (local $count f64) (local $cnt f64) (local $minData f64)
    (local $minHess f64) (local $shift f64)
    (local $acc v128) (local $sums v128) (local $left v128) (local $l2s v128) (local $q v128)
    ;; (gradient, hessian) pairs: the leaf's sums, the right side's, the left side's
    (local.set $sums (v128.load (local.get $io)))
    (local.set $count (f64.load offset=16 (local.get $io)))
    (local.set $cnt (f64.load offset=24 (local.get $io)))
    (local.set $minData (f64.load offset=32 (local.get $io)))
    (local.set $minHess (f64.load offset=40 (local.get $io)))
    (local.set $l2s (f64x2.splat (f64.load offset=56 (local.get $io))))
    (local.set $shift (f64.load offset=64 (local.get $io)))
    (local.set $best (f64.const -inf))
    (local.set $acc (f64x2.replace_lane 1 (f64x2.splat (f64.const 0)) (local.get $rh0)))
    (local.set $b (local.get $top))
    (block $done
      (loop $next
        (br_if $done (i32.lt_s (local.get $b) (i32.const 1)))
        (if (i32.ne (local.get $b) (local.get $skip))
          (then
            (local.set $s (i32.add (local.get $base) (i32.shl (local.get $b) (i32.const 4))))
            (local.set $h (f64.load offset=8 (local.get $s)))
            (local.set $acc (f64x2.add (local.get $acc) (v128.load (local.get $s))))
            (local.set $rh (f64x2.extract_lane 1 (local.get $acc)))
            (local.set $rc (f64.add (local.get $rc)
              (f64.floor (f64.add (f64.mul (local.get $h) (local.get $cnt)) (f64.const 0.5)))))
            (block $pass
              (br_if $pass (f64.lt (local.get $rc) (local.get $minData)))
              (br_if $pass (f64.lt (local.get $rh) (local.get $minHess)))
              (local.set $lc (f64.sub (local.get $count) (local.get $rc)))
              (local.set $left (f64x2.sub (local.get $sums) (local.get $acc)))
              (local.set $lh (f64x2.extract_lane 1 (local.get $left)))
              (br_if $done (f64.lt (local.get $lc) (local.get $minData)))
              (br_if $done (f64.lt (local.get $lh) (local.get $minHess)))
              ;; (lg, rg)² / (lh + l2, rh + l2), lane by lane
              (local.set $q (f64x2.div
                (f64x2.mul
                  (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $left) (local.get $acc))
                  (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $left) (local.get $acc)))
                (f64x2.add
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $left) (local.get $acc))
                  (local.get $l2s))))
              (local.set $gain (f64.add (f64x2.extract_lane 0 (local.get $q)) (f64x2.extract_lane 1 (local.get $q))))
              (br_if $pass (f64.le (local.get $gain) (local.get $shift)))
              (local.set $ok (i32.const 1))
              (br_if $pass (f64.le (local.get $gain) (local.get $best)))
              (local.set $best (local.get $gain))
              (v128.store offset=80 (local.get $io) (local.get $left))
              (f64.store offset=96 (local.get $io) (local.get $lc))
              (f64.store offset=104 (local.get $io) (f64.convert_i32_s (i32.sub (local.get $b) (i32.const 1)))))))
        (local.set $b (i32.sub (local.get $b) (i32.const 1)))
        (br $next)))
    (f64.store offset=72 (local.get $io) (local.get $best))
    (local.get $ok))

  ;; From bin $start up to $last with the left sums starting at ($lg0, $lh0, $lc0); with $implicit
  ;; set, bin 0 is never added (its sums are already in the start values, or nowhere).
  (func (export "scan_up")
    (param $base i32) (param $start i32) (param $last i32) (param $skip i32) (param $implicit i32)
    (param $lg0 f64) (param $lh0 f64) (param $lc0 f64)
    (param $io i32) (result i32)
    (local $t i32) (local $s i32) (local $ok i32) (local $h f64) (local $lh f64)
    (local $lc f64) (local $rh f64) (local $rc f64)
    (local $gain f64) (local $best f64)
    (local $count f64) (local $cnt f64) (local $minData f64)
    (local $minHess f64) (local $shift f64)
    (local $acc v128) (local $sums v128) (local $right v128) (local $l2s v128) (local $q v128)
    ;; (gradient, hessian) pairs: the leaf's sums, the left side's, the right side's
    (local.set $sums (v128.load (local.get $io)))
    (local.set $count (f64.load offset=16 (local.get $io)))
    (local.set $cnt (f64.load offset=24 (local.get $io)))
    (local.set $minData (f64.load offset=32 (local.get $io)))
    (local.set $minHess (f64.load offset=40 (local.get $io)))
    (local.set $l2s (f64x2.splat (f64.load offset=56 (local.get $io))))
    (local.set $shift (f64.load offset=64 (local.get $io)))
    (local.set $best (f64.const -inf))
    (local.set $acc (f64x2.replace_lane 1 (f64x2.splat (local.get $lg0)) (local.get $lh0)))
    (local.set $lc (local.get $lc0))
    (local.set $t (local.get $start))
    (block $done
      (loop $next
        (br_if $done (i32.gt_s (local.get $t) (local.get $last)))
        (if (i32.ne (local.get $t) (local.get $skip))
          (then
            (if (i32.eqz (i32.and (local.get $implicit) (i32.eqz (local.get $t))))
              (then
                (local.set $s (i32.add (local.get $base) (i32.shl (local.get $t) (i32.const 4))))
                (local.set $h (f64.load offset=8 (local.get $s)))
                (local.set $acc (f64x2.add (local.get $acc) (v128.load (local.get $s))))
                (local.set $lc (f64.add (local.get $lc)
                  (f64.floor (f64.add (f64.mul (local.get $h) (local.get $cnt)) (f64.const 0.5)))))))
            (local.set $lh (f64x2.extract_lane 1 (local.get $acc)))
            (block $pass
              (br_if $pass (f64.lt (local.get $lc) (local.get $minData)))
              (br_if $pass (f64.lt (local.get $lh) (local.get $minHess)))
              (local.set $rc (f64.sub (local.get $count) (local.get $lc)))
              (local.set $right (f64x2.sub (local.get $sums) (local.get $acc)))
              (local.set $rh (f64x2.extract_lane 1 (local.get $right)))
              (br_if $done (f64.lt (local.get $rc) (local.get $minData)))
              (br_if $done (f64.lt (local.get $rh) (local.get $minHess)))
              ;; (lg, rg)² / (lh + l2, rh + l2), lane by lane
              (local.set $q (f64x2.div
                (f64x2.mul
                  (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $acc) (local.get $right))
                  (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $acc) (local.get $right)))
                (f64x2.add
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $acc) (local.get $right))
                  (local.get $l2s))))
              (local.set $gain (f64.add (f64x2.extract_lane 0 (local.get $q)) (f64x2.extract_lane 1 (local.get $q))))
              (br_if $pass (f64.le (local.get $gain) (local.get $shift)))
              (local.set $ok (i32.const 1))
              (br_if $pass (f64.le (local.get $gain) (local.get $best)))
              (local.set $best (local.get $gain))
              (v128.store offset=80 (local.get $io) (local.get $acc))
              (f64.store offset=96 (local.get $io) (local.get $lc))
              (f64.store offset=104 (local.get $io) (f64.convert_i32_s (local.get $t))))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $next)))
    (f64.store offset=72 (local.get $io) (local.get $best))
    (local.get $ok)))
