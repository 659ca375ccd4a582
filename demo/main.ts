const line = document.getElementById('webgpu')!;
const adapter = 'gpu' in navigator ? await navigator.gpu.requestAdapter().catch(() => null) : null;
line.textContent = adapter
  ? `WebGPU is available here (${adapter.info.vendor || 'unknown vendor'} ${adapter.info.architecture}).`
  : 'WebGPU is not available in this browser: Chrome or Edge 113+, or Safari 26+, are needed to run models.';
export {};
