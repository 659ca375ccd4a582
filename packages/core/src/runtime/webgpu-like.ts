/**
 * The few parts of WebGPU the runtime reads before anything loads (an adapter's info, features and limits), typed
 * structurally: the published declarations then need no `@webgpu/types` in the page author's project, and the real
 * `navigator.gpu` still fits.
 */
export interface GpuAdapterLike {
  readonly features: ReadonlySetLike<string> & Iterable<string>;
  readonly limits: {
    readonly maxBufferSize: number;
    readonly maxStorageBufferBindingSize: number;
    readonly maxComputeWorkgroupStorageSize: number;
    readonly maxComputeInvocationsPerWorkgroup: number;
  };
  readonly info?: { readonly vendor?: string; readonly architecture?: string; readonly description?: string; readonly isFallbackAdapter?: boolean };
  /** Older Chromium put it on the adapter. */
  readonly isFallbackAdapter?: boolean;
}

/** `navigator.gpu`, as far as the runtime uses it. */
export interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'low-power' | 'high-performance' }): Promise<GpuAdapterLike | null>;
}

interface ReadonlySetLike<T> {
  has(value: T): boolean;
}
