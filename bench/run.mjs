// Benchmarks: ratios measured side by side in one run. See bench/README.md once benchmarks land.
console.log('no benchmarks yet');
