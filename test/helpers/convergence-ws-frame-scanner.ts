// Finds WebSocket frame boundaries in one direction of a TCP stream (after the HTTP upgrade), without
// decoding payloads: the test proxy uses it to cut a connection in the middle of a frame and to see
// the close codes the relay sends. Offsets count bytes from the start of the connection.

export interface ScannedFrame {
  /** Offset of the frame's first header byte. */
  start: number;
  headerLength: number;
  payloadLength: number;
  /** 0 continuation, 1 text, 2 binary, 8 close, 9 ping, 10 pong. */
  opcode: number;
}

const END_OF_HTTP_HEAD = Buffer.from('\r\n\r\n');

export class WsFrameScanner {
  /** Bytes scanned so far. */
  #offset = 0;
  #inHttpHead = true;
  /** The tail of the HTTP head seen so far, to find its end across chunk boundaries. */
  #headTail = Buffer.alloc(0);
  /** Header bytes of the frame being read, until its length is known. */
  #header: number[] = [];
  #headerStart = 0;
  /** Payload bytes of the current frame still to come (-1: reading a header). */
  #payloadLeft = -1;
  #current: ScannedFrame | null = null;
  /** The first payload bytes of a close frame: its status code. */
  #closeCodeBytes: number[] = [];
  readonly #onFrame: (frame: ScannedFrame) => void;
  readonly #onClose: (code: number | null) => void;

  constructor(handlers: {
    onFrame?: (frame: ScannedFrame) => void;
    onClose?: (code: number | null) => void;
  }) {
    this.#onFrame = handlers.onFrame ?? (() => {});
    this.#onClose = handlers.onClose ?? (() => {});
  }

  /** Scans the next chunk of the stream; frames whose header completes in it are reported at once. */
  scan(chunk: Buffer): void {
    let index = 0;
    if (this.#inHttpHead) index = this.#skipHttpHead(chunk);
    while (index < chunk.length) {
      if (this.#payloadLeft < 0) {
        if (this.#header.length === 0) this.#headerStart = this.#offset + index;
        this.#header.push(chunk[index] as number);
        index += 1;
        this.#tryFinishHeader();
        continue;
      }
      const take = Math.min(this.#payloadLeft, chunk.length - index);
      if (this.#current?.opcode === 8 && this.#closeCodeBytes.length < 2) {
        for (let i = 0; i < take && this.#closeCodeBytes.length < 2; i++)
          this.#closeCodeBytes.push(chunk[index + i] as number);
      }
      index += take;
      this.#payloadLeft -= take;
      if (this.#payloadLeft === 0) this.#endFrame();
    }
    this.#offset += chunk.length;
  }

  #skipHttpHead(chunk: Buffer): number {
    const joined = Buffer.concat([this.#headTail, chunk]);
    const end = joined.indexOf(END_OF_HTTP_HEAD);
    if (end < 0) {
      this.#headTail = joined.subarray(Math.max(0, joined.length - 3));
      return chunk.length;
    }
    this.#inHttpHead = false;
    return end + END_OF_HTTP_HEAD.length - this.#headTail.length;
  }

  #tryFinishHeader(): void {
    const header = this.#header;
    if (header.length < 2) return;
    const masked = ((header[1] as number) & 0x80) !== 0;
    const length7 = (header[1] as number) & 0x7f;
    const extended = length7 === 126 ? 2 : length7 === 127 ? 8 : 0;
    const headerLength = 2 + extended + (masked ? 4 : 0);
    if (header.length < headerLength) return;
    let payloadLength = length7;
    if (extended > 0) {
      payloadLength = 0;
      for (let i = 0; i < extended; i++) payloadLength = payloadLength * 256 + (header[2 + i] as number);
    }
    this.#current = {
      start: this.#headerStart,
      headerLength,
      payloadLength,
      opcode: (header[0] as number) & 0x0f,
    };
    this.#header = [];
    this.#closeCodeBytes = [];
    this.#payloadLeft = payloadLength;
    this.#onFrame(this.#current);
    if (payloadLength === 0) this.#endFrame();
  }

  #endFrame(): void {
    if (this.#current?.opcode === 8) {
      const [high, low] = this.#closeCodeBytes;
      this.#onClose(high === undefined || low === undefined ? null : high * 256 + low);
    }
    this.#current = null;
    this.#payloadLeft = -1;
  }
}
