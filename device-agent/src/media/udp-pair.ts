// Why: ffmpeg's RTP muxer sends RTCP to port+1 (RFC 3550 §11), so each stream needs an even
// RTP port with a bound neighbour, or ffmpeg gets ICMP errors and the kernel logs noise.
import { createSocket, type Socket } from "node:dgram";

export interface UdpPair {
  port: number;
  rtp: Socket;
  rtcp: Socket;
  close(): void;
}

function bind(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createSocket("udp4");
    s.once("error", (e) => {
      s.close();
      reject(e);
    });
    s.bind(port, "127.0.0.1", () => {
      s.removeAllListeners("error");
      resolve(s);
    });
  });
}

export async function bindUdpPair(tries = 20): Promise<UdpPair> {
  for (let i = 0; i < tries; i++) {
    const rtp = await bind(0);
    const port = rtp.address().port;
    try {
      const rtcp = await bind(port + 1);
      // ffmpeg streams up to ~2 Mbps in bursts; a bigger buffer avoids drops on keyframes.
      try {
        rtp.setRecvBufferSize(4 * 1024 * 1024);
      } catch {
        /* capped by net.core.rmem_max; the default still works */
      }
      return {
        port,
        rtp,
        rtcp,
        close() {
          rtp.close();
          rtcp.close();
        },
      };
    } catch {
      rtp.close();
    }
  }
  throw new Error("could not bind a UDP port pair on 127.0.0.1");
}
