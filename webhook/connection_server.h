// An httplib::Server that serves each connection through one buffered stream.
//
// Stock cpp-httplib 0.11 makes about eleven system calls per keep-alive
// request: it waits for the next request in 10 ms polls (sleeping 1 ms
// between them), polls again before each read, asks the kernel for both
// addresses, and sends the headers and the body as two TCP segments, each
// after two more polls. Under load at 16 connections (perf), the sends and
// polls alone took about a fifth of the service's CPU time.
//
// This server runs the same request handling (routing, handlers, error
// responses, keep-alive rules: httplib's own process_request) over a stream
// that lives as long as the connection:
// - one poll waits for the next request, and one recv reads it; bytes read
//   past a request stay for the next one;
// - a response is gathered in memory and sent with one send once it is
//   complete (larger ones in parts of 64 KiB);
// - the addresses are asked for once per connection;
// - the read and write timeouts are the socket's own (SO_RCVTIMEO,
//   SO_SNDTIMEO, which httplib sets as it accepts), not a poll before each
//   call.
//
// Guarantees: every byte httplib writes is sent before the stream blocks on
// a read (so an interim "100 Continue" goes out before the body is awaited)
// and before the next request is waited for; a failed or timed-out send or
// read ends the connection, as with stock httplib; an idle connection is
// closed after the keep-alive timeout, and within 100 ms of stop().
#pragma once

#include <httplib.h>

namespace wegwijs::webhook {

class ConnectionServer : public httplib::Server {
  private:
    bool process_and_close_socket(socket_t sock) override;
};

}  // namespace wegwijs::webhook
