// Media the business uploaded through POST /{phone-number-id}/media: what a send may reference by
// id. Uploaded media ids expire after 30 days (Meta's media reference), on the simulator clock.
export const UPLOAD_TTL_MS = 30 * 24 * 3_600_000;

export interface RecordedUpload {
  /** The media id answered ({id}). */
  id: string;
  phoneNumberId: string;
  /** The `type` field of the upload. */
  mimeType: string;
  /** The file part's filename, if it had one. */
  filename: string | null;
  size: number;
  /** Hex SHA-256 of the bytes received. */
  sha256: string;
  /** Simulator clock, ms. */
  at: number;
}

export class UploadLog {
  readonly #uploads: RecordedUpload[] = [];

  record(upload: RecordedUpload): void {
    this.#uploads.push(upload);
  }

  find(id: string): RecordedUpload | undefined {
    const upload = this.#uploads.find((u) => u.id === id);
    return upload === undefined ? undefined : { ...upload };
  }

  all(): RecordedUpload[] {
    return this.#uploads.map((upload) => ({ ...upload }));
  }
}
