/**
 * Axon IP encoding: subtensor stores an axon's address as a u128 with an `ip_type` of 4 or 6.
 * IPv4 lives in the low 32 bits; IPv6 uses all 128. Text is dotted quad for IPv4 and RFC 5952
 * compressed lowercase for IPv6 (longest run of two or more zero groups becomes `::`, first run wins).
 */
import { amlError, ERRORS } from '../errors.js';

const U32_MAX = 0xffffffffn;
const U128_MAX = (1n << 128n) - 1n;

export interface EncodedIp {
  readonly ip: bigint;
  readonly ipType: 4 | 6;
}

function invalid(text: string, why: string): never {
  throw amlError(ERRORS.AML_ERR_CHAIN_AXON_INVALID, [`ip '${text}'`, why]);
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

function parseGroups(text: string): number[] | undefined {
  if (text === '') return [];
  const groups: number[] = [];
  const parts = text.split(':');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (v4 === undefined) return undefined;
      groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      continue;
    }
    if (!/^[0-9a-fA-F]{1,4}$/.test(part)) return undefined;
    groups.push(Number.parseInt(part, 16));
  }
  return groups;
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0]);
  const tail = halves.length === 2 ? parseGroups(halves[1]) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  let value = 0n;
  for (const group of groups) value = (value << 16n) | BigInt(group);
  return value;
}

/** Parses an IPv4 or IPv6 text address into subtensor's (u128, ip_type). */
export function encodeIp(text: string): EncodedIp {
  const trimmed = text.trim().replace(/^\[(.*)\]$/, '$1');
  const v4 = parseIpv4(trimmed);
  if (v4 !== undefined) return { ip: v4, ipType: 4 };
  if (trimmed.includes(':')) {
    const v6 = parseIpv6(trimmed);
    if (v6 !== undefined) return { ip: v6, ipType: 6 };
  }
  return invalid(text, 'expected a dotted IPv4 or an IPv6 address');
}

function formatIpv6(value: bigint): string {
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((value >> shift) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1; // RFC 5952: a single zero group is never compressed
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLength).join(':');
  return `${head}::${tail}`;
}

/** Formats subtensor's (u128, ip_type) as text; IPv4 reads the low 32 bits. */
export function decodeIp(ip: bigint, ipType: number): string {
  if (ip < 0n || ip > U128_MAX) return invalid(ip.toString(), 'not a u128');
  if (ipType === 4) {
    const v4 = ip & U32_MAX;
    return [24n, 16n, 8n, 0n].map((s) => Number((v4 >> s) & 0xffn)).join('.');
  }
  if (ipType === 6) return formatIpv6(ip);
  return invalid(ip.toString(), `ip_type ${ipType} is neither 4 nor 6`);
}
