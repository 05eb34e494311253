import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UploadView } from './UploadView';

class FakeXHR {
  static last: FakeXHR | null = null;
  upload: { onprogress: ((e: Partial<ProgressEvent>) => void) | null; onload: (() => void) | null } = { onprogress: null, onload: null };
  status = 0;
  responseText = '';
  headers: Record<string, string> = {};
  body: FormData | null = null;
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  constructor() {
    FakeXHR.last = this;
  }
  open(method: string, url: string) {
    expect(method).toBe('POST');
    expect(url).toBe('/api/upload');
  }
  setRequestHeader(k: string, v: string) {
    this.headers[k] = v;
  }
  getResponseHeader() {
    return null;
  }
  send(body: FormData) {
    this.body = body;
  }
  abort() {
    this.onabort?.();
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
  FakeXHR.last = null;
});

function pick(file: File) {
  fireEvent.change(screen.getByTestId('file-input'), { target: { files: [file] } });
}

describe('UploadView', () => {
  it('refuses a wrong type before sending anything', () => {
    vi.stubGlobal('XMLHttpRequest', FakeXHR);
    render(<UploadView health={null} hasSessions={false} onUploaded={vi.fn()} onOpenDrawer={vi.fn()} />);
    pick(new File(['hello'], 'notes.txt', { type: 'text/plain' }));
    expect(screen.getByRole('alert').textContent).toMatch(/“\.txt” files can't be analyzed/);
    expect(FakeXHR.last).toBeNull();
  });

  it('uses the server limit from /api/health', () => {
    vi.stubGlobal('XMLHttpRequest', FakeXHR);
    render(<UploadView health={{ status: 'ok', max_upload_size: 10 }} hasSessions={false} onUploaded={vi.fn()} onOpenDrawer={vi.fn()} />);
    expect(screen.getByText(/up to 10 B/)).toBeTruthy();
    pick(new File(['a,b\n1,2\n3,4\n'], 'big.csv'));
    expect(screen.getByRole('alert').textContent).toMatch(/more than the 10 B limit/);
    expect(FakeXHR.last).toBeNull();
  });

  it('shows bytes and percent, then processing, then hands over the session', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXHR);
    localStorage.setItem('analyzer.token', 'jwt');
    const onUploaded = vi.fn();
    render(<UploadView health={null} hasSessions={false} onUploaded={onUploaded} onOpenDrawer={vi.fn()} />);
    const content = 'x'.repeat(4 * 1024 * 1024);
    pick(new File([content], 'sales.csv', { type: 'text/csv' }));
    const xhr = FakeXHR.last!;
    expect(xhr.headers.Authorization).toBe('Bearer jwt');
    expect((xhr.body!.get('file') as File).name).toBe('sales.csv');

    act(() => xhr.upload.onprogress!({ lengthComputable: true, loaded: 1024 * 1024, total: 4 * 1024 * 1024 }));
    expect(screen.getByText('1 MB of 4 MB · 25%')).toBeTruthy();
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('25');

    act(() => xhr.upload.onload!());
    expect(screen.getByText(/Processing…/)).toBeTruthy();

    xhr.status = 200;
    xhr.responseText = JSON.stringify({ session_id: 's1', file: { filename: 'sales.csv', row_count: 1, column_count: 1, columns: ['x'], preview: [] } });
    await act(async () => xhr.onload!());
    expect(onUploaded).toHaveBeenCalledWith(expect.objectContaining({ session_id: 's1' }));
  });

  it('shows the server reason when the file cannot be parsed', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXHR);
    render(<UploadView health={null} hasSessions={false} onUploaded={vi.fn()} onOpenDrawer={vi.fn()} />);
    pick(new File(['\u0000\u0001'], 'broken.parquet'));
    const xhr = FakeXHR.last!;
    xhr.status = 400;
    xhr.responseText = '{"detail":"the file is not a valid Parquet file"}';
    await act(async () => xhr.onload!());
    expect(screen.getByRole('alert').textContent).toMatch(/Couldn't upload broken\.parquet.*The file is not a valid Parquet file/);
  });
});
