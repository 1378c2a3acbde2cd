import { VhbError, z } from '@vhb/sdk';

/** RunPod's REST API (v1): https://docs.runpod.io/api-reference — pods are created, read and deleted here. */
export const RUNPOD_API_URL = 'https://rest.runpod.io/v1';

/** The part of v1's `Pod` this package reads. `desiredStatus` is `RUNNING`, `EXITED` or `TERMINATED`. */
const podSchema = z.looseObject({
  id: z.string().min(1),
  desiredStatus: z.string().optional(),
});
export type RunpodPod = z.infer<typeof podSchema>;

/** The body of `POST /pods` (v1 `PodCreateInput`, the fields this package sets). */
export interface CreatePodBody {
  name: string;
  imageName: string;
  env: Record<string, string>;
  dockerStartCmd: string[];
  gpuTypeIds?: string[];
  gpuCount?: number;
  computeType?: 'GPU' | 'CPU';
  cloudType?: 'SECURE' | 'COMMUNITY';
  containerDiskInGb?: number;
  volumeInGb?: number;
  volumeMountPath?: string;
  ports?: string[];
}

export interface RunpodApiOptions {
  baseUrl: string;
  apiKey: string;
  requestTimeoutMs: number;
  /** Hides secrets in text taken from a response before it goes into an error. */
  mask: (text: string) => string;
}

const KEY_HINT =
  'set RUNPOD_API_KEY (or the `apiKey` option) to a key with read/write access to pods: RunPod console → Settings → API Keys';

/** A small client for the four calls the runpod manager makes. The API key goes only into the Authorization header. */
export class RunpodApi {
  constructor(private readonly options: RunpodApiOptions) {}

  /** `POST /pods`: creates and starts a pod. Not retried: a retry after a lost answer could rent two pods. */
  async createPod(body: CreatePodBody, signal?: AbortSignal): Promise<RunpodPod> {
    return this.pod('POST', '/pods', await this.request('POST', '/pods', body, signal));
  }

  /** `GET /pods/{id}`; undefined when RunPod no longer knows the pod (404). */
  async getPod(id: string, signal?: AbortSignal): Promise<RunpodPod | undefined> {
    const path = `/pods/${encodeURIComponent(id)}`;
    const answer = await this.request('GET', path, undefined, signal, true);
    return answer === undefined ? undefined : this.pod('GET', path, answer);
  }

  /** `DELETE /pods/{id}`: terminates the pod and frees everything it holds. A pod already gone is fine. */
  async terminatePod(id: string): Promise<void> {
    await this.request('DELETE', `/pods/${encodeURIComponent(id)}`, undefined, undefined, true);
  }

  private pod(method: string, path: string, answer: unknown): RunpodPod {
    const parsed = podSchema.safeParse(answer);
    if (parsed.success) return parsed.data;
    throw new VhbError('VHB_E_RUNPOD_API', `RunPod answered ${method} ${path} with something that is not a pod (no "id")`, {
      hint: `check that the base URL ${this.options.baseUrl} is RunPod's REST API v1`,
    });
  }

  private async request(method: string, path: string, body: unknown, signal?: AbortSignal, missingOk = false): Promise<unknown> {
    const call = `${method} ${path}`;
    const timeout = AbortSignal.timeout(this.options.requestTimeoutMs);
    let response: Response;
    try {
      response = await fetch(`${this.options.baseUrl.replace(/\/+$/, '')}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.options.apiKey}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted)
        throw new VhbError('VHB_E_RUNPOD_TIMEOUT', `RunPod did not answer ${call} within ${this.options.requestTimeoutMs} ms`, {
          hint: 'RunPod may be slow or unreachable: try again, or raise `requestTimeoutMs`',
          retry: { retryable: true },
          cause: error,
        });
      const reason = this.options.mask(String((error as Error).cause ?? (error as Error).message));
      throw new VhbError('VHB_E_RUNPOD_API', `could not reach RunPod at ${this.options.baseUrl} for ${call}: ${reason}`, {
        hint: 'check the network and the `baseUrl` option',
        retry: { retryable: true },
        cause: error,
      });
    }
    const text = await response.text().catch(() => '');
    if (response.status === 404 && missingOk) return undefined;
    if (response.status === 401 || response.status === 403)
      throw new VhbError('VHB_E_RUNPOD_AUTH', `RunPod refused the API key (${response.status} ${response.statusText}) on ${call}`, {
        hint: KEY_HINT,
      });
    if (!response.ok) {
      const excerpt = this.options.mask(text.replace(/\s+/g, ' ').trim().slice(0, 300));
      const transient = response.status === 429 || response.status >= 500;
      throw new VhbError(
        'VHB_E_RUNPOD_API',
        `RunPod answered ${response.status} ${response.statusText} to ${call}${excerpt ? `: ${excerpt}` : ''}`,
        {
          hint: transient
            ? 'a RunPod-side failure: try again later'
            : 'the request was refused: check the runpod options (image, gpuTypeIds, …)',
          ...(transient ? { retry: { retryable: true } } : {}),
        },
      );
    }
    if (text.trim() === '') return {};
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new VhbError('VHB_E_RUNPOD_API', `RunPod answered ${call} with text that is not JSON`, {
        hint: `check that the base URL ${this.options.baseUrl} is RunPod's REST API v1`,
        cause: error,
      });
    }
  }
}

export { KEY_HINT as RUNPOD_KEY_HINT };
