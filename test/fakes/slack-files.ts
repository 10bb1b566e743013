/**
 * The fake Slack's side of files.uploadV2: getUploadURLExternal hands out an upload URL on the
 * fake's own server, the client posts the bytes there, completeUploadExternal shares the file.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A file shared through files.uploadV2 (getUploadURLExternal → upload → completeUploadExternal). */
export type StoredFile = {
  id: string;
  filename: string;
  title?: string;
  altText?: string;
  /** The bytes posted to the upload URL, as the client sent them. */
  bytes: Buffer;
  channel?: string;
  threadTs?: string;
  initialComment?: string;
};

const PNG_START = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
const PNG_END = Buffer.from('IEND');

/** The PNG inside an upload's body (the client may wrap it in a multipart form). */
export function pngOf(file: StoredFile): Buffer | null {
  const start = file.bytes.indexOf(PNG_START);
  const end = file.bytes.indexOf(PNG_END, start);
  return start < 0 || end < 0 ? null : file.bytes.subarray(start, end + 8);
}

type Call = { method: string; args: Record<string, unknown>; atMs: number; status: number };

export class FakeUploads {
  readonly files = new Map<string, StoredFile>();

  constructor(
    private readonly origin: () => string,
    private readonly calls: Call[],
  ) {}

  uploadUrl(args: Record<string, unknown>): Record<string, unknown> {
    if (!args.filename || !args.length) return { ok: false, error: 'invalid_arguments' };
    const id = `F${String(this.files.size + 1).padStart(6, '0')}`;
    this.files.set(id, {
      id,
      filename: String(args.filename),
      ...(args.alt_text ? { altText: String(args.alt_text) } : {}),
      bytes: Buffer.alloc(0),
    });
    return { ok: true, upload_url: `${this.origin()}/upload/${id}`, file_id: id };
  }

  async receive(id: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const file = this.files.get(id);
    this.calls.push({ method: 'upload', args: { id }, atMs: Date.now(), status: file ? 200 : 404 });
    if (!file) return void res.writeHead(404).end('no such upload');
    file.bytes = Buffer.concat(chunks);
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`OK - ${file.bytes.length}`);
  }

  complete(args: Record<string, unknown>): Record<string, unknown> {
    const list = (args.files as { id: string; title?: string }[] | undefined) ?? [];
    const channel = typeof args.channel_id === 'string' ? args.channel_id : undefined;
    if (channel && !/^[CGD][A-Z0-9]+$/.test(channel))
      return { ok: false, error: 'invalid_channel' };
    const done: Record<string, unknown>[] = [];
    for (const f of list) {
      const file = this.files.get(f.id);
      if (!file || file.bytes.length === 0) return { ok: false, error: 'file_not_found' };
      Object.assign(file, {
        ...(f.title ? { title: f.title } : {}),
        ...(channel ? { channel } : {}),
        ...(typeof args.thread_ts === 'string' ? { threadTs: args.thread_ts } : {}),
        ...(typeof args.initial_comment === 'string'
          ? { initialComment: args.initial_comment }
          : {}),
      });
      done.push({ id: file.id, title: file.title ?? file.filename });
    }
    return { ok: true, files: done };
  }
}
