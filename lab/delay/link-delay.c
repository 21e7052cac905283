// link-delay: the NAT lab's delay and loss element (issue 12). This kernel has no netem
// (CONFIG_NET_SCH_NETEM is not set), so the lab cuts a WAN link in two and this program joins
// the halves: every Ethernet frame read on one interface is written to the other after a fixed
// one-way delay, or dropped with a set probability. It is compiled at lab start (`cc -O2`, see
// lab/link-delay.ts) and runs in a namespace of its own, one process per link.
//
//   link-delay forward <if-a> <if-b> <delay-us> <loss-a2b-pct> <loss-b2a-pct>
//   link-delay offload-off <if>...
//
// `offload-off` turns off TX checksum offload, scatter-gather, TSO, GSO and GRO through the
// SIOCETHTOOL ioctl (there is no ethtool binary here). A veth hands its peer frames with
// CHECKSUM_PARTIAL and up to 64 KB TSO segments; read through AF_PACKET and written out again
// those would arrive with a wrong checksum, so every device that transmits into the element
// computes checksums and segments in software instead.
//
// Bounded by construction: a fixed ring of QUEUE_FRAMES frames per direction (a full ring drops,
// as a router's queue would), the loop sleeps in ppoll until a frame is due or one arrives, and
// the process ends on SIGTERM, when its parent (the lab runner) dies, when one of its interfaces
// disappears (its namespace was deleted), or after too many consecutive errors.
#define _GNU_SOURCE
#include <errno.h>
#include <linux/ethtool.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

// MTU 1500 plus the Ethernet header fits; with GSO/TSO off nothing larger arrives (a larger
// frame is counted and dropped rather than truncated).
#define SLOT_BYTES 1536
// 4096 frames ≈ 6 MB per direction: 150 ms of ~300 Mbit/s of full-size frames, far beyond
// what a lab session sends.
#define QUEUE_FRAMES 4096
// Frames read per interface per wake-up, so one busy direction cannot starve the other.
#define READ_BURST 256
// Consecutive failed reads before giving up (an interface in a bad state, not a busy one).
#define MAX_ERRORS_IN_A_ROW 1000

struct frame {
  int64_t due_ns;
  uint16_t len;
  unsigned char data[SLOT_BYTES];
};

struct direction {
  const char *name;
  int from_fd, to_fd;
  const char *to_if;
  int64_t delay_ns;
  uint64_t loss_threshold; // drop when a 32-bit random number is below this
  struct frame *ring;
  unsigned head, count;
  unsigned long forwarded, lost, queue_full, oversize, send_errors;
};

static volatile sig_atomic_t stop_requested, stats_requested;

static void on_signal(int sig) {
  if (sig == SIGUSR1) stats_requested = 1;
  else stop_requested = 1;
}

// Receive timestamps (SO_TIMESTAMPNS) are CLOCK_REALTIME, so deadlines are too: a frame read
// late because the process was not scheduled still leaves at its arrival time + delay.
static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

// xorshift64*: loss needs a fast, decent uniform source, not a cryptographic one.
static uint64_t rng_state;
static uint32_t random32(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return (uint32_t)((rng_state * 2685821657736338717ULL) >> 32);
}

static void die(const char *what, const char *detail) {
  fprintf(stderr, "link-delay: %s %s: %s\n", what, detail, strerror(errno));
  exit(1);
}

static int set_offload(int fd, const char *ifname, uint32_t cmd, const char *what, int required) {
  struct ethtool_value ev = {.cmd = cmd, .data = 0};
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", ifname);
  ifr.ifr_data = (void *)&ev;
  if (ioctl(fd, SIOCETHTOOL, &ifr) == 0) return 0;
  if (!required && errno == EOPNOTSUPP) return 0;
  fprintf(stderr, "link-delay: turning off %s on %s: %s\n", what, ifname, strerror(errno));
  return -1;
}

static int offload_off(int argc, char **argv) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) die("socket", "AF_INET");
  int failed = 0;
  for (int i = 0; i < argc; i++) {
    // TX checksum first: scatter-gather and TSO depend on it.
    failed |= set_offload(fd, argv[i], ETHTOOL_STXCSUM, "tx checksum offload", 1);
    failed |= set_offload(fd, argv[i], ETHTOOL_SSG, "scatter-gather", 0);
    failed |= set_offload(fd, argv[i], ETHTOOL_STSO, "TSO", 0);
    failed |= set_offload(fd, argv[i], ETHTOOL_SGSO, "GSO", 0);
    failed |= set_offload(fd, argv[i], ETHTOOL_SGRO, "GRO", 0);
  }
  close(fd);
  return failed ? 1 : 0;
}

static int open_port(const char *ifname) {
  unsigned ifindex = if_nametoindex(ifname);
  if (!ifindex) die("no interface", ifname);
  // Protocol 0 until bound: an ETH_P_ALL socket would see every interface's frames until then.
  int fd = socket(AF_PACKET, SOCK_RAW, 0);
  if (fd < 0) die("socket AF_PACKET for", ifname);
  struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = (int)ifindex};
  if (bind(fd, (struct sockaddr *)&sll, sizeof sll) < 0) die("bind", ifname);
  struct packet_mreq mr = {.mr_ifindex = (int)ifindex, .mr_type = PACKET_MR_PROMISC};
  if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr) < 0) die("promiscuous mode on", ifname);
  int one = 1;
  // Our own writes must not come back to us as reads (also filtered by pkttype below).
  setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
  if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one) < 0) die("SO_TIMESTAMPNS on", ifname);
  int buf = 4 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof buf);
  return fd;
}

static void print_stats(struct direction *d, int n) {
  for (int i = 0; i < n; i++) {
    fprintf(stderr, "link-delay: %s forwarded=%lu lost=%lu queue_full=%lu oversize=%lu send_errors=%lu queued=%u\n", d[i].name,
            d[i].forwarded, d[i].lost, d[i].queue_full, d[i].oversize, d[i].send_errors, d[i].count);
  }
}

// Reads what is waiting on d->from_fd (at most READ_BURST frames). Returns -1 on a socket error.
static int read_frames(struct direction *d) {
  for (int i = 0; i < READ_BURST; i++) {
    struct frame *slot = &d->ring[(d->head + d->count) % QUEUE_FRAMES];
    unsigned char scratch[SLOT_BYTES];
    int full = d->count == QUEUE_FRAMES;
    struct iovec iov = {.iov_base = full ? scratch : slot->data, .iov_len = SLOT_BYTES};
    struct sockaddr_ll from;
    char control[CMSG_SPACE(sizeof(struct timespec))];
    struct msghdr msg = {.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov, .msg_iovlen = 1,
                         .msg_control = control, .msg_controllen = sizeof control};
    ssize_t len = recvmsg(d->from_fd, &msg, MSG_DONTWAIT | MSG_TRUNC);
    if (len < 0) return errno == EAGAIN || errno == EINTR ? 0 : -1;
    if (from.sll_pkttype == PACKET_OUTGOING) continue;
    if (len > SLOT_BYTES) {
      d->oversize++;
      continue;
    }
    if (full) {
      d->queue_full++;
      continue;
    }
    if (random32() < d->loss_threshold) {
      d->lost++;
      continue;
    }
    int64_t arrived = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
        struct timespec ts;
        memcpy(&ts, CMSG_DATA(c), sizeof ts);
        arrived = (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
      }
    }
    if (!arrived) arrived = now_ns();
    slot->due_ns = arrived + d->delay_ns;
    slot->len = (uint16_t)len;
    d->count++;
  }
  return 0;
}

// Writes every frame whose time has come. One fixed delay per direction keeps the ring in
// arrival order, so it is also in departure order: frames are never reordered.
static void send_due(struct direction *d, int64_t now) {
  while (d->count && d->ring[d->head].due_ns <= now) {
    struct frame *f = &d->ring[d->head];
    if (send(d->to_fd, f->data, f->len, 0) < 0) d->send_errors++; // link down: lost, as on a wire
    else d->forwarded++;
    d->head = (d->head + 1) % QUEUE_FRAMES;
    d->count--;
  }
}

static double parse_number(const char *s, const char *what, double max) {
  char *end;
  double v = strtod(s, &end);
  if (*s == '\0' || *end != '\0' || !(v >= 0 && v <= max)) {
    fprintf(stderr, "link-delay: %s must be a number from 0 to %g, not \"%s\"\n", what, max, s);
    exit(2);
  }
  return v;
}

static int forward(char **argv) {
  const char *if_a = argv[0], *if_b = argv[1];
  int64_t delay_ns = (int64_t)(parse_number(argv[2], "delay-us", 10e6) * 1000);
  double loss[2] = {parse_number(argv[3], "loss-a2b-pct", 100), parse_number(argv[4], "loss-b2a-pct", 100)};

  // The lab runner owns this process: if it dies without stopping us, we go too.
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() == 1) return 0;
  struct sigaction sa = {.sa_handler = on_signal};
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGUSR1, &sa, NULL);
  sigset_t blocked, during_poll;
  sigemptyset(&blocked);
  sigaddset(&blocked, SIGTERM);
  sigaddset(&blocked, SIGINT);
  sigaddset(&blocked, SIGUSR1);
  sigprocmask(SIG_BLOCK, &blocked, &during_poll); // delivered only inside ppoll: no lost wake-up

  // A wire does not wait for the CPU: while the lab's Chromium and agent keep both cores busy, a
  // frame due now must leave now. Real-time priority makes the wake-up prompt (the loop always
  // sleeps in ppoll, and the kernel's RT throttling bounds it anyway); a 1 ns timer slack stops
  // the kernel from batching the wake-up up to 50 µs late. Both are best effort.
  struct sched_param sp = {.sched_priority = 10};
  if (sched_setscheduler(0, SCHED_FIFO, &sp) < 0) fprintf(stderr, "link-delay: no real-time priority (%s); delays may run late under load\n", strerror(errno));
  prctl(PR_SET_TIMERSLACK, 1UL);

  rng_state = (uint64_t)now_ns() ^ ((uint64_t)getpid() << 32) ^ 0x9e3779b97f4a7c15ULL;
  int fd_a = open_port(if_a), fd_b = open_port(if_b);
  static char names[2][64];
  snprintf(names[0], sizeof names[0], "%s->%s", if_a, if_b);
  snprintf(names[1], sizeof names[1], "%s->%s", if_b, if_a);
  struct direction dirs[2] = {
      {.name = names[0], .from_fd = fd_a, .to_fd = fd_b, .to_if = if_b},
      {.name = names[1], .from_fd = fd_b, .to_fd = fd_a, .to_if = if_a},
  };
  for (int i = 0; i < 2; i++) {
    dirs[i].delay_ns = delay_ns;
    dirs[i].loss_threshold = (uint64_t)(loss[i] / 100.0 * 4294967296.0);
    dirs[i].ring = calloc(QUEUE_FRAMES, sizeof(struct frame));
    if (!dirs[i].ring) die("allocating", "the frame queue");
  }
  fprintf(stderr, "link-delay: forwarding %s <-> %s, one-way delay %.3f ms, loss %g%% / %g%%\n", if_a, if_b,
          delay_ns / 1e6, loss[0], loss[1]);

  int errors_in_a_row = 0;
  while (!stop_requested) {
    int64_t now = now_ns();
    send_due(&dirs[0], now);
    send_due(&dirs[1], now);
    if (stats_requested) {
      stats_requested = 0;
      print_stats(dirs, 2);
    }
    int64_t next = -1;
    for (int i = 0; i < 2; i++) {
      if (dirs[i].count && (next < 0 || dirs[i].ring[dirs[i].head].due_ns < next)) next = dirs[i].ring[dirs[i].head].due_ns;
    }
    struct timespec timeout, *tp = NULL;
    if (next >= 0) {
      int64_t wait = next - now_ns();
      if (wait < 0) wait = 0;
      timeout.tv_sec = wait / 1000000000LL;
      timeout.tv_nsec = wait % 1000000000LL;
      tp = &timeout;
    }
    struct pollfd fds[2] = {{.fd = fd_a, .events = POLLIN}, {.fd = fd_b, .events = POLLIN}};
    int ready = ppoll(fds, 2, tp, &during_poll);
    if (ready < 0) {
      if (errno == EINTR) continue;
      die("ppoll", "");
    }
    for (int i = 0; i < 2; i++) {
      if (fds[i].revents & POLLERR) {
        // A link going down reports ENETDOWN once; that is a flap test, not a reason to stop.
        // The interface vanishing (namespace deleted) is.
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(fds[i].fd, SOL_SOCKET, SO_ERROR, &err, &len);
        const char *ifname = i == 0 ? if_a : if_b;
        if (!if_nametoindex(ifname)) {
          fprintf(stderr, "link-delay: %s is gone; stopping\n", ifname);
          stop_requested = 1;
        }
        if (++errors_in_a_row > MAX_ERRORS_IN_A_ROW) {
          fprintf(stderr, "link-delay: %d socket errors in a row on %s (%s); stopping\n", errors_in_a_row, ifname, strerror(err));
          stop_requested = 1;
        }
      }
      if (fds[i].revents & POLLIN) {
        if (read_frames(&dirs[i]) < 0) {
          if (++errors_in_a_row > MAX_ERRORS_IN_A_ROW) die("reading from", i == 0 ? if_a : if_b);
        } else {
          errors_in_a_row = 0;
        }
      }
    }
  }
  print_stats(dirs, 2);
  return 0;
}

int main(int argc, char **argv) {
  setvbuf(stderr, NULL, _IOLBF, 0);
  if (argc >= 3 && strcmp(argv[1], "offload-off") == 0) return offload_off(argc - 2, argv + 2);
  if (argc == 7 && strcmp(argv[1], "forward") == 0) return forward(argv + 2);
  fprintf(stderr,
          "usage: link-delay forward <if-a> <if-b> <delay-us> <loss-a2b-pct> <loss-b2a-pct>\n"
          "       link-delay offload-off <if>...\n");
  return 2;
}
