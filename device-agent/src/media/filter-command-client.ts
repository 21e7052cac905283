// Why: sends runtime filter commands to one ffmpeg process's `zmq` filter over loopback TCP
// (ZMTP as a DEALER, so commands pipeline instead of waiting a frame each). Only the latest
// value per (target, command) matters for a crop window, so commands queued while the socket
// is (re)connecting are coalesced; nothing here ever throws at the caller.
import { connect, type Socket } from "node:net";
import { createZmtpDecoder, zmtpGreeting, zmtpReady, zmtpRequest } from "./zmtp.ts";

export interface FilterCommandClient {
  /** Queues "target command arg"; sent at once when connected, else on connect (latest wins). */
  send(target: string, command: string, arg: string): void;
  /** Replies received ("0 Success" …), for tests and logs. */
  readonly replies: number;
  readonly connected: boolean;
  close(): void;
}

export function createFilterCommandClient(port: number, onError?: (message: string) => void): FilterCommandClient {
  let socket: Socket | undefined;
  let ready = false;
  let closed = false;
  let replies = 0;
  let retry: NodeJS.Timeout | undefined;
  const pending = new Map<string, string>();

  const flush = (): void => {
    if (!socket || !ready) return;
    for (const line of pending.values()) socket.write(zmtpRequest(line));
    pending.clear();
  };

  const open = (): void => {
    if (closed) return;
    const s = connect({ host: "127.0.0.1", port });
    socket = s;
    ready = false;
    const decoder = createZmtpDecoder();
    s.setNoDelay(true);
    s.on("connect", () => {
      s.write(zmtpGreeting());
      s.write(zmtpReady("DEALER"));
    });
    s.on("data", (chunk) => {
      let items;
      try {
        items = decoder.push(chunk);
      } catch (e) {
        onError?.((e as Error).message);
        s.destroy();
        return;
      }
      for (const item of items) {
        if (item.kind === "command" && item.name === "READY") {
          ready = true;
          flush();
        } else if (item.kind === "message") {
          replies++;
          const text = item.frames.at(-1)?.toString("utf8") ?? "";
          if (!text.startsWith("0 ")) onError?.(`filter command refused: ${text.slice(0, 120)}`);
        }
      }
    });
    s.on("error", () => {
      /* ffmpeg not listening yet (starting) or gone: the close handler retries */
    });
    s.on("close", () => {
      if (socket === s) {
        socket = undefined;
        ready = false;
      }
      // ffmpeg binds the port when its filter graph initialises, a moment after spawn.
      if (!closed) retry = setTimeout(open, 100);
    });
  };
  open();

  return {
    send(target, command, arg) {
      pending.set(`${target} ${command}`, `${target} ${command} ${arg}`);
      flush();
    },
    get replies() {
      return replies;
    },
    get connected() {
      return ready;
    },
    close() {
      closed = true;
      clearTimeout(retry);
      socket?.destroy();
      socket = undefined;
    },
  };
}
