// File uploads with progress: rooms.media then rooms.mediaConfirm (the
// current protocol), falling back to the one-shot rooms.upload that older
// servers and EmbeddedChat use.
import { ApiError } from '../api/rest';
import { fail, rest } from './app';
import { Store } from './store';

export interface Upload {
  id: number;
  rid: string;
  name: string;
  progress: number;
  error?: string;
}

export const uploads = new Store<Upload[]>([]);
let seq = 0;

function update(id: number, patch: Partial<Upload>) {
  uploads.set((list) => list.map((u) => (u.id === id ? { ...u, ...patch } : u)));
}

export async function uploadFile(rid: string, file: File, opts: { tmid?: string; description?: string; msg?: string } = {}): Promise<void> {
  const id = ++seq;
  uploads.set((l) => [...l, { id, rid, name: file.name, progress: 0 }]);
  const progress = (f: number) => update(id, { progress: f });
  try {
    try {
      const form = new FormData();
      form.append('file', file, file.name);
      const r = await rest.upload(`rooms.media/${rid}`, form, progress);
      await rest.post(`rooms.mediaConfirm/${rid}/${r.file._id}`, {
        ...(opts.msg ? { msg: opts.msg } : {}),
        ...(opts.description ? { description: opts.description } : {}),
        ...(opts.tmid ? { tmid: opts.tmid } : {}),
      });
    } catch (e) {
      if (!(e instanceof ApiError && (e.status === 404 || e.status === 405))) throw e;
      const form = new FormData();
      form.append('file', file, file.name);
      if (opts.msg) form.append('msg', opts.msg);
      if (opts.description) form.append('description', opts.description);
      if (opts.tmid) form.append('tmid', opts.tmid);
      await rest.upload(`rooms.upload/${rid}`, form, progress);
    }
    uploads.set((l) => l.filter((u) => u.id !== id));
  } catch (e) {
    const msg = e instanceof ApiError && e.status === 404 ? 'This server does not accept uploads yet' : e instanceof Error ? e.message : String(e);
    update(id, { error: msg });
    fail(new Error(`${file.name}: ${msg}`));
    setTimeout(() => uploads.set((l) => l.filter((u) => u.id !== id)), 8000);
  }
}
