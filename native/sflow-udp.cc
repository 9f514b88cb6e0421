// Vigil's batching UDP receive path for the sFlow collector (and the benchmark's sender).
//
// Receiver: a socket of its own (IPv4 or IPv6, large SO_RCVBUF) read by a native thread with recvmmsg.
// Datagrams are copied into a single-producer/single-consumer byte ring that lives in an ArrayBuffer
// allocated by JavaScript; JavaScript reads the records in place and advances the read position. The
// thread wakes JavaScript through a thread-safe function only when JavaScript asked to be woken (the
// "armed" word), so a flood costs one wake-up per drain, not one per datagram. When the ring is full the
// thread stops reading: the kernel's receive buffer is the second stage and its drops are counted (the
// socket's SO_RXQ_OVFL counter), never hidden.
//
// Ring layout (the ArrayBuffer): a 256-byte control block of u32 words, then `capacity` data bytes.
//   word 0  (byte 0)   head: write position in the data region (written by the thread, release)
//   word 16 (byte 64)  tail: read position (written by JavaScript, read by the thread, acquire)
//   word 32 (byte 128) armed: 1 when JavaScript waits for a wake-up (set by JS, cleared by the thread)
// A record at an 8-aligned position: u32 length, u32 flags (bit 0: truncated), the bytes, padding to 8.
// A length of 0xFFFFFFFF means "wrapped: continue at 0". The writer keeps at least 8 bytes free so that
// head == tail always means empty.
//
// Sender: sendmmsg of templates patched in place per send (big-endian u32 additions at given offsets,
// e.g. sequence numbers), paced to a rate, bounded by count and time. Used only by bench/sflow-ingest.ts.
#define NAPI_VERSION 8
#include <node_api.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr size_t kHeaderBytes = 256;
constexpr size_t kHeadWord = 0;
constexpr size_t kTailWord = 16;
constexpr size_t kArmedWord = 32;
constexpr uint32_t kWrap = 0xFFFFFFFFu;
constexpr uint32_t kFlagTruncated = 1;
constexpr int kBatch = 64;
// After a recvmmsg that did not fill its batch, wait this long before the next one: under a flood each
// call then returns a full batch (tens of datagrams) instead of two or three, which saves the thread most
// of its system calls and wake-ups; in quiet times a datagram waits at most this much longer.
constexpr long kCoalesceNs = 200000;

#define NAPI_OK(call)                                               \
  do {                                                              \
    if ((call) != napi_ok) {                                        \
      const napi_extended_error_info* info = nullptr;               \
      napi_get_last_error_info(env, &info);                         \
      napi_throw_error(env, "ERR_VIGIL_NATIVE",                     \
                       info && info->error_message ? info->error_message : #call); \
      return nullptr;                                               \
    }                                                               \
  } while (0)

napi_value Throw(napi_env env, const std::string& code, const std::string& msg) {
  napi_throw_error(env, code.c_str(), msg.c_str());
  return nullptr;
}

napi_value ThrowErrno(napi_env env, const std::string& what, int err) {
  std::string code = "E";
  switch (err) {
    case EADDRINUSE: code = "EADDRINUSE"; break;
    case EADDRNOTAVAIL: code = "EADDRNOTAVAIL"; break;
    case EACCES: code = "EACCES"; break;
    case EAFNOSUPPORT: code = "EAFNOSUPPORT"; break;
    case EINVAL: code = "EINVAL"; break;
    default: code = "ERRNO_" + std::to_string(err);
  }
  return Throw(env, code, what + ": " + strerror(err));
}

bool GetString(napi_env env, napi_value v, std::string* out) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, v, nullptr, 0, &len) != napi_ok) return false;
  out->resize(len);
  return napi_get_value_string_utf8(env, v, out->data(), len + 1, &len) == napi_ok;
}

napi_value Prop(napi_env env, napi_value obj, const char* name) {
  napi_value v = nullptr;
  napi_get_named_property(env, obj, name, &v);
  return v;
}

double PropNumber(napi_env env, napi_value obj, const char* name, double dflt) {
  napi_value v = Prop(env, obj, name);
  napi_valuetype t;
  if (v == nullptr || napi_typeof(env, v, &t) != napi_ok || t != napi_number) return dflt;
  double d = dflt;
  napi_get_value_double(env, v, &d);
  return d;
}

void SetNumber(napi_env env, napi_value obj, const char* name, double v) {
  napi_value n;
  napi_create_double(env, v, &n);
  napi_set_named_property(env, obj, name, n);
}

// Parses a literal IPv4/IPv6 address (no name resolution: the caller resolves names).
bool ParseAddress(const std::string& host, int port, sockaddr_storage* ss, socklen_t* len) {
  memset(ss, 0, sizeof(*ss));
  auto* v4 = reinterpret_cast<sockaddr_in*>(ss);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(port));
    *len = sizeof(sockaddr_in);
    return true;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(ss);
  std::string h = host;
  if (h.size() > 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  if (inet_pton(AF_INET6, h.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<uint16_t>(port));
    *len = sizeof(sockaddr_in6);
    return true;
  }
  return false;
}

// ───────────────────────────── receiver ─────────────────────────────

struct Receiver {
  int fd = -1;
  int stopFd = -1;
  uint8_t* base = nullptr;  // the ring ArrayBuffer (control block + data)
  uint8_t* data = nullptr;
  uint32_t capacity = 0;
  uint32_t maxDatagram = 0;
  napi_ref ringRef = nullptr;
  napi_threadsafe_function tsfn = nullptr;
  std::thread thread;
  std::atomic<bool> stopping{false};
  bool running = false;
  bool closed = false;

  // Written by the thread, read by JS through stats() (relaxed: figures, not synchronization).
  std::atomic<uint64_t> datagrams{0};
  std::atomic<uint64_t> bytes{0};
  std::atomic<uint64_t> truncated{0};
  std::atomic<uint64_t> recvCalls{0};
  std::atomic<uint64_t> ringFullWaits{0};
  std::atomic<uint64_t> wakeups{0};
  std::atomic<uint64_t> kernelDrops{0};
  std::atomic<uint64_t> recvErrors{0};

  std::atomic<uint32_t>* Word(size_t w) { return reinterpret_cast<std::atomic<uint32_t>*>(base + 4 * w); }

  // Space check and copy of one record; false when the ring has no room (caller waits).
  bool Push(const uint8_t* src, uint32_t len, uint32_t flags) {
    const uint32_t need = 8 + ((len + 7) & ~7u);
    uint32_t head = Word(kHeadWord)->load(std::memory_order_relaxed);
    const uint32_t tail = Word(kTailWord)->load(std::memory_order_acquire);
    uint32_t pos = head;
    if (head >= tail) {
      if (capacity - head >= need) {
        // fits at the end; if it ends exactly at capacity the head wraps to 0, which must not meet tail
        if (head + need == capacity && tail == 0) return false;
      } else {
        // wrap: the record goes to 0 and must leave a gap before tail
        if (need >= tail) return false;
        *reinterpret_cast<uint32_t*>(data + head) = kWrap;
        pos = 0;
      }
    } else {
      if (tail - head <= need) return false;
    }
    auto* rec = reinterpret_cast<uint32_t*>(data + pos);
    rec[0] = len;
    rec[1] = flags;
    memcpy(data + pos + 8, src, len);
    uint32_t next = pos + need;
    if (next == capacity) next = 0;
    Word(kHeadWord)->store(next, std::memory_order_seq_cst);
    return true;
  }

  void Wake() {
    if (Word(kArmedWord)->exchange(0, std::memory_order_seq_cst) == 1) {
      wakeups.fetch_add(1, std::memory_order_relaxed);
      napi_call_threadsafe_function(tsfn, nullptr, napi_tsfn_nonblocking);
    }
  }

  void Run() {
    std::vector<uint8_t> scratch(static_cast<size_t>(kBatch) * maxDatagram);
    mmsghdr msgs[kBatch];
    iovec iov[kBatch];
    constexpr size_t kCtl = CMSG_SPACE(sizeof(uint32_t));
    alignas(cmsghdr) uint8_t ctl[kBatch][kCtl];
    pollfd pfd[2] = {{fd, POLLIN, 0}, {stopFd, POLLIN, 0}};
    while (!stopping.load(std::memory_order_relaxed)) {
      for (int i = 0; i < kBatch; i++) {
        iov[i].iov_base = scratch.data() + static_cast<size_t>(i) * maxDatagram;
        iov[i].iov_len = maxDatagram;
        memset(&msgs[i].msg_hdr, 0, sizeof(msghdr));
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
        msgs[i].msg_hdr.msg_control = ctl[i];
        msgs[i].msg_hdr.msg_controllen = kCtl;
      }
      int n = recvmmsg(fd, msgs, kBatch, MSG_DONTWAIT, nullptr);
      recvCalls.fetch_add(1, std::memory_order_relaxed);
      if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
          Wake();
          pfd[0].revents = pfd[1].revents = 0;
          poll(pfd, 2, -1);
          continue;
        }
        recvErrors.fetch_add(1, std::memory_order_relaxed);
        pfd[0].revents = pfd[1].revents = 0;
        poll(pfd, 2, 100);
        continue;
      }
      uint64_t got = 0;
      for (int i = 0; i < n; i++) {
        msghdr& h = msgs[i].msg_hdr;
        for (cmsghdr* c = CMSG_FIRSTHDR(&h); c != nullptr; c = CMSG_NXTHDR(&h, c)) {
          if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) {
            uint32_t drops;
            memcpy(&drops, CMSG_DATA(c), sizeof(drops));
            kernelDrops.store(drops, std::memory_order_relaxed);
          }
        }
        uint32_t len = msgs[i].msg_len;
        uint32_t flags = 0;
        if ((h.msg_flags & MSG_TRUNC) != 0) {
          flags |= kFlagTruncated;
          truncated.fetch_add(1, std::memory_order_relaxed);
          if (len > maxDatagram) len = maxDatagram;
        }
        const uint8_t* src = static_cast<const uint8_t*>(iov[i].iov_base);
        long backoffNs = 20000;
        while (!Push(src, len, flags)) {
          // Ring full: JavaScript is behind. Wake it and wait (backing off to 1 ms, so a long stall costs
          // the thread almost nothing); meanwhile the kernel's receive buffer absorbs the burst.
          ringFullWaits.fetch_add(1, std::memory_order_relaxed);
          Wake();
          if (stopping.load(std::memory_order_relaxed)) return;
          timespec ts{0, backoffNs};
          nanosleep(&ts, nullptr);
          if (backoffNs < 1000000) backoffNs *= 2;
        }
        got += len;
      }
      datagrams.fetch_add(static_cast<uint64_t>(n), std::memory_order_relaxed);
      bytes.fetch_add(got, std::memory_order_relaxed);
      Wake();
      if (n < kBatch && !stopping.load(std::memory_order_relaxed)) {
        timespec ts{0, kCoalesceNs};
        nanosleep(&ts, nullptr);
      }
    }
  }
};

void CallJs(napi_env env, napi_value js_cb, void* /*context*/, void* /*data*/) {
  if (env == nullptr || js_cb == nullptr) return;
  napi_value undefined;
  napi_get_undefined(env, &undefined);
  napi_call_function(env, undefined, js_cb, 0, nullptr, nullptr);
}

void StopReceiver(Receiver* r) {
  if (r->running) {
    r->stopping.store(true);
    uint64_t one = 1;
    ssize_t w = write(r->stopFd, &one, sizeof(one));
    (void)w;
    r->thread.join();
    r->running = false;
  }
  if (r->fd >= 0) close(r->fd);
  if (r->stopFd >= 0) close(r->stopFd);
  r->fd = r->stopFd = -1;
}

void FinalizeReceiver(napi_env env, void* data, void* /*hint*/) {
  auto* r = static_cast<Receiver*>(data);
  StopReceiver(r);
  if (r->tsfn != nullptr) napi_release_threadsafe_function(r->tsfn, napi_tsfn_release);
  if (r->ringRef != nullptr) napi_delete_reference(env, r->ringRef);
  delete r;
}

Receiver* Unwrap(napi_env env, napi_value v) {
  void* p = nullptr;
  if (napi_unwrap(env, v, &p) != napi_ok) return nullptr;
  return static_cast<Receiver*>(p);
}

// open({ host, port, receiveBufferBytes, maxDatagramBytes, ring: ArrayBuffer, onReadable: () => void })
//   -> handle { port, family, receiveBufferBytes (actual, as the kernel reports it) }
napi_value Open(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value opts;
  NAPI_OK(napi_get_cb_info(env, info, &argc, &opts, nullptr, nullptr));
  if (argc < 1) return Throw(env, "ERR_INVALID_ARG", "open(options) needs an options object");
  std::string host;
  if (!GetString(env, Prop(env, opts, "host"), &host)) return Throw(env, "ERR_INVALID_ARG", "host must be a string");
  const int port = static_cast<int>(PropNumber(env, opts, "port", -1));
  if (port < 0 || port > 65535) return Throw(env, "ERR_INVALID_ARG", "port must be 0..65535");
  const double rcvbuf = PropNumber(env, opts, "receiveBufferBytes", 0);
  const double maxDg = PropNumber(env, opts, "maxDatagramBytes", 65535);
  if (maxDg < 64 || maxDg > 65535) return Throw(env, "ERR_INVALID_ARG", "maxDatagramBytes must be 64..65535");

  napi_value ring = Prop(env, opts, "ring");
  bool isAb = false;
  if (ring == nullptr || napi_is_arraybuffer(env, ring, &isAb) != napi_ok || !isAb)
    return Throw(env, "ERR_INVALID_ARG", "ring must be an ArrayBuffer");
  void* ringData = nullptr;
  size_t ringLen = 0;
  NAPI_OK(napi_get_arraybuffer_info(env, ring, &ringData, &ringLen));
  const size_t dataLen = ringLen > kHeaderBytes ? ringLen - kHeaderBytes : 0;
  if (dataLen < 4 * (static_cast<size_t>(maxDg) + 16) || dataLen > 0x7FFFFFF8u || dataLen % 8 != 0)
    return Throw(env, "ERR_INVALID_ARG", "ring data region must be a multiple of 8, at least 4 maximum datagrams, below 2 GiB");
  napi_value cb = Prop(env, opts, "onReadable");
  napi_valuetype cbType;
  if (cb == nullptr || napi_typeof(env, cb, &cbType) != napi_ok || cbType != napi_function)
    return Throw(env, "ERR_INVALID_ARG", "onReadable must be a function");

  sockaddr_storage ss;
  socklen_t slen;
  if (!ParseAddress(host, port, &ss, &slen)) return Throw(env, "ERR_INVALID_ARG", "host must be a literal IPv4 or IPv6 address: " + host);
  const int family = ss.ss_family;
  int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return ThrowErrno(env, "socket", errno);
  if (family == AF_INET6) {
    // '::' receives IPv4 too (mapped), like Node's dgram 'udp6' sockets.
    int off = 0;
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
  }
  if (rcvbuf > 0) {
    int want = rcvbuf > 0x3FFFFFFF ? 0x3FFFFFFF : static_cast<int>(rcvbuf);
    // SO_RCVBUFFORCE passes net.core.rmem_max when privileged; otherwise the kernel caps SO_RCVBUF at it.
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &want, sizeof(want)) != 0)
      setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &want, sizeof(want));
  }
  int on = 1;
  setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &on, sizeof(on));
  if (bind(fd, reinterpret_cast<sockaddr*>(&ss), slen) != 0) {
    int err = errno;
    close(fd);
    return ThrowErrno(env, "bind " + host + " port " + std::to_string(port), err);
  }
  sockaddr_storage bound;
  socklen_t blen = sizeof(bound);
  getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &blen);
  const int boundPort = family == AF_INET ? ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port)
                                          : ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port);
  int actual = 0;
  socklen_t alen = sizeof(actual);
  getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &actual, &alen);

  auto* r = new Receiver();
  r->fd = fd;
  r->stopFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (r->stopFd < 0) {
    int err = errno;
    close(fd);
    delete r;
    return ThrowErrno(env, "eventfd", err);
  }
  r->base = static_cast<uint8_t*>(ringData);
  r->data = r->base + kHeaderBytes;
  r->capacity = static_cast<uint32_t>(dataLen);
  r->maxDatagram = static_cast<uint32_t>(maxDg);
  memset(r->base, 0, kHeaderBytes);
  napi_value handle;
  napi_create_object(env, &handle);
  if (napi_wrap(env, handle, r, FinalizeReceiver, nullptr, nullptr) != napi_ok) {
    close(r->fd);
    close(r->stopFd);
    delete r;
    return Throw(env, "ERR_VIGIL_NATIVE", "napi_wrap failed");
  }
  NAPI_OK(napi_create_reference(env, ring, 1, &r->ringRef));
  napi_value name;
  napi_create_string_utf8(env, "vigil-sflow-readable", NAPI_AUTO_LENGTH, &name);
  NAPI_OK(napi_create_threadsafe_function(env, cb, nullptr, name, 0, 1, nullptr, nullptr, nullptr, CallJs, &r->tsfn));
  // Like an open dgram socket, an open receiver keeps the process alive until close().
  SetNumber(env, handle, "port", boundPort);
  SetNumber(env, handle, "family", family == AF_INET ? 4 : 6);
  SetNumber(env, handle, "receiveBufferBytes", actual);
  r->running = true;
  r->thread = std::thread([r] { r->Run(); });
  return handle;
}

napi_value Close(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value h;
  NAPI_OK(napi_get_cb_info(env, info, &argc, &h, nullptr, nullptr));
  Receiver* r = argc >= 1 ? Unwrap(env, h) : nullptr;
  if (r == nullptr) return Throw(env, "ERR_INVALID_ARG", "close(handle): not a receiver handle");
  if (!r->closed) {
    StopReceiver(r);
    if (r->tsfn != nullptr) {
      napi_release_threadsafe_function(r->tsfn, napi_tsfn_abort);
      r->tsfn = nullptr;
    }
    r->closed = true;
  }
  return nullptr;
}

napi_value Stats(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value h;
  NAPI_OK(napi_get_cb_info(env, info, &argc, &h, nullptr, nullptr));
  Receiver* r = argc >= 1 ? Unwrap(env, h) : nullptr;
  if (r == nullptr) return Throw(env, "ERR_INVALID_ARG", "stats(handle): not a receiver handle");
  napi_value o;
  napi_create_object(env, &o);
  SetNumber(env, o, "datagrams", static_cast<double>(r->datagrams.load()));
  SetNumber(env, o, "bytes", static_cast<double>(r->bytes.load()));
  SetNumber(env, o, "truncated", static_cast<double>(r->truncated.load()));
  SetNumber(env, o, "recvCalls", static_cast<double>(r->recvCalls.load()));
  SetNumber(env, o, "ringFullWaits", static_cast<double>(r->ringFullWaits.load()));
  SetNumber(env, o, "wakeups", static_cast<double>(r->wakeups.load()));
  SetNumber(env, o, "kernelDrops", static_cast<double>(r->kernelDrops.load()));
  SetNumber(env, o, "recvErrors", static_cast<double>(r->recvErrors.load()));
  return o;
}

// ───────────────────────────── sender (benchmark) ─────────────────────────────

double NowSeconds() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

inline void AddBe32(uint8_t* p, uint32_t inc) {
  uint32_t v = (static_cast<uint32_t>(p[0]) << 24) | (static_cast<uint32_t>(p[1]) << 16) | (static_cast<uint32_t>(p[2]) << 8) | p[3];
  v += inc;
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}

// sendFlood({ host, port, templates: Uint8Array[], patches: Uint32Array[] (offset, increment pairs per
//   template, applied after each send of it), rate (datagrams/s, 0 = as fast as possible), count, seconds,
//   sendBufferBytes }) -> { sent, seconds, sendCalls, errors }. Blocks the calling thread: run it in a
//   process of its own. Destination must be a loopback address.
napi_value SendFlood(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value opts;
  NAPI_OK(napi_get_cb_info(env, info, &argc, &opts, nullptr, nullptr));
  if (argc < 1) return Throw(env, "ERR_INVALID_ARG", "sendFlood(options) needs an options object");
  std::string host;
  if (!GetString(env, Prop(env, opts, "host"), &host)) return Throw(env, "ERR_INVALID_ARG", "host must be a string");
  const int port = static_cast<int>(PropNumber(env, opts, "port", -1));
  const double rate = PropNumber(env, opts, "rate", 0);
  const double count = PropNumber(env, opts, "count", 0);
  const double seconds = PropNumber(env, opts, "seconds", 0);
  const double sndbuf = PropNumber(env, opts, "sendBufferBytes", 4 << 20);
  if (port <= 0 || port > 65535) return Throw(env, "ERR_INVALID_ARG", "port must be 1..65535");
  if (!(count > 0) || !(seconds > 0) || seconds > 3600) return Throw(env, "ERR_INVALID_ARG", "count and seconds (<= 3600) must be positive: the flood is bounded");
  sockaddr_storage ss;
  socklen_t slen;
  if (!ParseAddress(host, port, &ss, &slen)) return Throw(env, "ERR_INVALID_ARG", "host must be a literal address");
  bool loopback = false;
  if (ss.ss_family == AF_INET) {
    loopback = (ntohl(reinterpret_cast<sockaddr_in*>(&ss)->sin_addr.s_addr) >> 24) == 127;
  } else {
    const in6_addr& a = reinterpret_cast<sockaddr_in6*>(&ss)->sin6_addr;
    loopback = IN6_IS_ADDR_LOOPBACK(&a);
  }
  if (!loopback) return Throw(env, "ERR_INVALID_ARG", "the flood sender only sends to 127.0.0.0/8 or ::1");

  napi_value tArr = Prop(env, opts, "templates");
  napi_value pArr = Prop(env, opts, "patches");
  uint32_t nT = 0, nP = 0;
  bool isArr = false;
  if (tArr == nullptr || napi_is_array(env, tArr, &isArr) != napi_ok || !isArr) return Throw(env, "ERR_INVALID_ARG", "templates must be an array");
  if (pArr == nullptr || napi_is_array(env, pArr, &isArr) != napi_ok || !isArr) return Throw(env, "ERR_INVALID_ARG", "patches must be an array");
  napi_get_array_length(env, tArr, &nT);
  napi_get_array_length(env, pArr, &nP);
  if (nT == 0 || nP != nT) return Throw(env, "ERR_INVALID_ARG", "templates and patches must be non-empty arrays of the same length");
  std::vector<std::vector<uint8_t>> tpl(nT);
  std::vector<std::vector<uint32_t>> patch(nT);
  for (uint32_t i = 0; i < nT; i++) {
    napi_value t, p;
    napi_get_element(env, tArr, i, &t);
    napi_get_element(env, pArr, i, &p);
    napi_typedarray_type type;
    size_t len;
    void* d;
    napi_value ab;
    size_t off;
    if (napi_get_typedarray_info(env, t, &type, &len, &d, &ab, &off) != napi_ok || type != napi_uint8_array)
      return Throw(env, "ERR_INVALID_ARG", "templates[i] must be a Uint8Array");
    tpl[i].assign(static_cast<uint8_t*>(d), static_cast<uint8_t*>(d) + len);
    if (napi_get_typedarray_info(env, p, &type, &len, &d, &ab, &off) != napi_ok || type != napi_uint32_array || len % 2 != 0)
      return Throw(env, "ERR_INVALID_ARG", "patches[i] must be a Uint32Array of (offset, increment) pairs");
    patch[i].assign(static_cast<uint32_t*>(d), static_cast<uint32_t*>(d) + len);
    for (size_t k = 0; k < len; k += 2)
      if (patch[i][k] + 4 > tpl[i].size()) return Throw(env, "ERR_INVALID_ARG", "a patch offset lies outside its template");
  }

  int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return ThrowErrno(env, "socket", errno);
  int sb = static_cast<int>(sndbuf);
  if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sb, sizeof(sb)) != 0) setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sb, sizeof(sb));
  if (connect(fd, reinterpret_cast<sockaddr*>(&ss), slen) != 0) {
    int err = errno;
    close(fd);
    return ThrowErrno(env, "connect", err);
  }
  const int batch = static_cast<int>(nT < static_cast<uint32_t>(kBatch) ? nT : kBatch);
  std::vector<mmsghdr> msgs(batch);
  std::vector<iovec> iov(batch);
  const uint64_t total = static_cast<uint64_t>(count);
  uint64_t sent = 0, attempted = 0, calls = 0, errors = 0;
  uint32_t next = 0;
  const double start = NowSeconds();
  const double deadline = start + seconds;
  double now = start;
  while (attempted < total) {
    now = NowSeconds();
    if (now >= deadline) break;
    if (rate > 0) {
      const double due = start + static_cast<double>(attempted) / rate;
      if (due > now) {
        const double wait = due - now;
        timespec ts{static_cast<time_t>(wait), static_cast<long>((wait - static_cast<double>(static_cast<time_t>(wait))) * 1e9)};
        nanosleep(&ts, nullptr);
        continue;
      }
    }
    int n = batch;
    if (static_cast<uint64_t>(n) > total - attempted) n = static_cast<int>(total - attempted);
    for (int i = 0; i < n; i++) {
      const uint32_t t = (next + static_cast<uint32_t>(i)) % nT;
      iov[i].iov_base = tpl[t].data();
      iov[i].iov_len = tpl[t].size();
      memset(&msgs[i].msg_hdr, 0, sizeof(msghdr));
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    int done = 0;
    while (done < n) {
      int r = sendmmsg(fd, msgs.data() + done, static_cast<unsigned>(n - done), 0);
      calls++;
      if (r < 0) {
        if (errno == EINTR) continue;
        errors++;
        if (errno == ENOBUFS || errno == EAGAIN || errno == ECONNREFUSED) {
          // Loopback has no queue of its own: ECONNREFUSED means nobody listens (yet). The message is
          // skipped (not counted as sent), its template still advances.
          done++;
          continue;
        }
        int err = errno;
        close(fd);
        return ThrowErrno(env, "sendmmsg", err);
      }
      done += r;
    }
    for (int i = 0; i < n; i++) {
      const uint32_t t = (next + static_cast<uint32_t>(i)) % nT;
      std::vector<uint32_t>& p = patch[t];
      for (size_t k = 0; k < p.size(); k += 2) AddBe32(tpl[t].data() + p[k], p[k + 1]);
    }
    next = (next + static_cast<uint32_t>(n)) % nT;
    attempted += static_cast<uint64_t>(n);
  }
  sent = attempted - errors;
  close(fd);
  napi_value o;
  napi_create_object(env, &o);
  SetNumber(env, o, "sent", static_cast<double>(sent));
  SetNumber(env, o, "attempted", static_cast<double>(attempted));
  SetNumber(env, o, "seconds", NowSeconds() - start);
  SetNumber(env, o, "sendCalls", static_cast<double>(calls));
  SetNumber(env, o, "errors", static_cast<double>(errors));
  return o;
}

napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"open", nullptr, Open, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"close", nullptr, Close, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"stats", nullptr, Stats, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sendFlood", nullptr, SendFlood, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  napi_value v;
  napi_create_uint32(env, 1, &v);
  napi_set_named_property(env, exports, "abiVersion", v);
  return exports;
}

}  // namespace

NAPI_MODULE(vigil_sflow_udp, Init)
