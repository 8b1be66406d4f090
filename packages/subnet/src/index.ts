/** Public surface of @aml/subnet. Re-exports only. */
export {};
