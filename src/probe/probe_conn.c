/* probe_conn.c: connect, deadlines, line I/O in clear and over OpenSSL
 * (probe_conn.h).
 *
 * Sockets are non-blocking and every wait is a poll() bounded by the
 * step's deadline, so no server can hold a step longer than --timeout.
 * TLS uses a non-blocking SSL on the same socket.  Does not parse POP3 or
 * IMAP, and never logs the bytes it carries.
 */
#include "probe/probe_conn.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/err.h>

static const char *const io_names[] = {
	[PROBE_IO_OK] = "ok",
	[PROBE_IO_NO_HOST] = "the name does not resolve",
	[PROBE_IO_REFUSED] = "connection refused",
	[PROBE_IO_TIMEOUT] = "timed out",
	[PROBE_IO_CLOSED] = "the server closed the connection",
	[PROBE_IO_TOO_LONG] = "a line longer than the limit",
	[PROBE_IO_TOO_MUCH] = "more bytes than the limit",
	[PROBE_IO_CLEARTEXT] = "cleartext where TLS was due",
	[PROBE_IO_ERROR] = "error",
};
static_assert(sizeof(io_names) / sizeof(io_names[0]) == PROBE_IO_COUNT,
    "every probe_io needs a name");

static void
step(struct probe_conn *c)
{
	clock_gettime(CLOCK_MONOTONIC, &c->deadline);
	c->deadline.tv_sec += c->timeout_ms / 1000;
	c->deadline.tv_nsec += (long)(c->timeout_ms % 1000) * 1000000L;
	if (c->deadline.tv_nsec >= 1000000000L) {
		c->deadline.tv_sec++;
		c->deadline.tv_nsec -= 1000000000L;
	}
}

static int
ms_left(const struct probe_conn *c)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	long long ms = (long long)(c->deadline.tv_sec - now.tv_sec) * 1000 +
	    (c->deadline.tv_nsec - now.tv_nsec) / 1000000;

	if (ms <= 0)
		return 0;
	return ms > 3600000 ? 3600000 : (int)ms;
}

enum probe_io
probe_conn_fail(struct probe_conn *c, enum probe_io r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	/* started just above: clang-analyzer 14 misreads the varargs */
	vsnprintf(c->err, sizeof(c->err), fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized)
	va_end(ap);
	return r;
}

static enum probe_io
timed_out(struct probe_conn *c)
{
	return probe_conn_fail(c, PROBE_IO_TIMEOUT, "no answer within %d s",
	    c->timeout_ms / 1000);
}

/* Wait until fd is ready for events, or the step's deadline. */
static enum probe_io
wait_fd(struct probe_conn *c, short events)
{
	struct pollfd p = {.fd = c->fd, .events = events, .revents = 0};

	for (;;) {
		int ms = ms_left(c);

		if (ms == 0)
			return timed_out(c);
		int r = poll(&p, 1, ms);

		if (r > 0)
			return PROBE_IO_OK;	/* errors show in the I/O */
		if (r == 0)
			return timed_out(c);
		if (errno != EINTR)
			return probe_conn_fail(c, PROBE_IO_ERROR, "poll: %s",
			    strerror(errno));
	}
}

static enum probe_io
tls_fail(struct probe_conn *c, const char *what)
{
	unsigned long e = ERR_peek_last_error();
	char buf[120];

	if (e == 0)
		return probe_conn_fail(c, PROBE_IO_CLOSED, "%s: %s", what,
		    io_names[PROBE_IO_CLOSED]);
	ERR_error_string_n(e, buf, sizeof(buf));
	ERR_clear_error();
	return probe_conn_fail(c, PROBE_IO_ERROR, "%s: %s", what, buf);
}

/* One connect() to one address, waited for within the step. */
static enum probe_io
connect_one(struct probe_conn *c, const struct addrinfo *ai)
{
	int fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);

	if (fd < 0)
		return probe_conn_fail(c, PROBE_IO_ERROR, "socket: %s",
		    strerror(errno));
	c->fd = fd;
	int flags = fcntl(fd, F_GETFL);

	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
		return probe_conn_fail(c, PROBE_IO_ERROR, "fcntl: %s",
		    strerror(errno));
	step(c);
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
		if (errno != EINPROGRESS)
			return probe_conn_fail(c,
			    errno == ECONNREFUSED ? PROBE_IO_REFUSED
						  : PROBE_IO_ERROR,
			    "%s", strerror(errno));
		enum probe_io r = wait_fd(c, POLLOUT);

		if (r != PROBE_IO_OK)
			return r;
		int so_error = 0;
		socklen_t len = sizeof(so_error);

		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len) != 0)
			so_error = errno;
		if (so_error != 0)
			return probe_conn_fail(c, so_error == ECONNREFUSED
					   ? PROBE_IO_REFUSED
					   : PROBE_IO_ERROR,
			    "%s", strerror(so_error));
	}
	const void *addr = ai->ai_family == AF_INET6
	    ? (const void *)&((const struct sockaddr_in6 *)(const void *)
				  ai->ai_addr)->sin6_addr
	    : (const void *)&((const struct sockaddr_in *)(const void *)
				  ai->ai_addr)->sin_addr;

	if (inet_ntop(ai->ai_family, addr, c->ip, sizeof(c->ip)) == NULL)
		c->ip[0] = '\0';
	return PROBE_IO_OK;
}

enum probe_io
probe_conn_open(struct probe_conn *c, const char *host, uint16_t port,
    int timeout_ms)
{
	struct addrinfo hints, *res = NULL;
	char service[8];
	enum probe_io r = PROBE_IO_NO_HOST;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->timeout_ms = timeout_ms;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	snprintf(service, sizeof(service), "%u", (unsigned)port);
	/* The system resolver has its own timeouts (resolv.conf); a name is
	 * resolved once per port. */
	int e = getaddrinfo(host, service, &hints, &res);

	if (e != 0)
		return probe_conn_fail(c, PROBE_IO_NO_HOST,
		    "cannot resolve %s: %s", host, gai_strerror(e));
	unsigned tried = 0;

	for (const struct addrinfo *ai = res;
	     ai != NULL && tried < PROBE_ADDRS_MAX; ai = ai->ai_next) {
		if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
			continue;
		tried++;
		r = connect_one(c, ai);
		if (r == PROBE_IO_OK)
			break;
		if (c->fd >= 0)
			close(c->fd);
		c->fd = -1;
	}
	freeaddrinfo(res);
	if (tried == 0)
		return probe_conn_fail(c, PROBE_IO_NO_HOST,
		    "no IPv4 or IPv6 address for %s", host);
	if (r == PROBE_IO_TIMEOUT)
		probe_conn_fail(c, r, "no connection within %d s",
		    c->timeout_ms / 1000);
	return r;
}

/* The first byte of a TLS record is its content type: change_cipher_spec
 * (20), alert (21), handshake (22) or application data (23).  A line of
 * POP3 or IMAP starts with a printable character. */
static bool
is_tls_record_start(uint8_t b)
{
	return b >= 20 && b <= 23;
}

/* Receive what the socket has (at least one byte) into buf[0..cap),
 * within the step, counted against PROBE_CONN_BYTES_MAX. */
static enum probe_io
raw_recv(struct probe_conn *c, uint8_t *buf, size_t cap, size_t *got)
{
	*got = 0;
	if (c->total >= PROBE_CONN_BYTES_MAX)
		return probe_conn_fail(c, PROBE_IO_TOO_MUCH,
		    "the server sent more than %u bytes",
		    PROBE_CONN_BYTES_MAX);
	if (cap > PROBE_CONN_BYTES_MAX - c->total)
		cap = PROBE_CONN_BYTES_MAX - c->total;
	for (;;) {
		ssize_t n = recv(c->fd, buf, cap, 0);

		if (n > 0) {
			*got = (size_t)n;
			c->total += (size_t)n;
			return PROBE_IO_OK;
		}
		if (n == 0)
			return probe_conn_fail(c, PROBE_IO_CLOSED, "%s",
			    io_names[PROBE_IO_CLOSED]);
		if (errno == EINTR)
			continue;
		if (errno == ECONNRESET)
			return probe_conn_fail(c, PROBE_IO_CLOSED,
			    "the server reset the connection");
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return probe_conn_fail(c, PROBE_IO_ERROR, "recv: %s",
			    strerror(errno));
		enum probe_io r = wait_fd(c, POLLIN);

		if (r != PROBE_IO_OK)
			return r;
	}
}

/* Give the TLS engine the socket's next bytes.  OpenSSL reads only from
 * this memory BIO, so every byte is seen here first: the first bytes of a
 * session (is_first) must start a TLS record, and if they do not they are
 * kept in c->in, unread, and PROBE_IO_CLEARTEXT returned.  The end of the
 * stream is passed on as the BIO's end. */
static enum probe_io
tls_feed(struct probe_conn *c, bool is_first)
{
	uint8_t buf[4096];
	size_t got;

	if (c->is_eof)
		return probe_conn_fail(c, PROBE_IO_CLOSED, "%s",
		    io_names[PROBE_IO_CLOSED]);
	enum probe_io r = raw_recv(c, buf, sizeof(buf), &got);

	if (r == PROBE_IO_CLOSED) {
		c->is_eof = true;
		BIO_set_mem_eof_return(c->rbio, 0);
		return PROBE_IO_OK;	/* OpenSSL says what it makes of it */
	}
	if (r != PROBE_IO_OK)
		return r;
	if (is_first && got > 0 && !is_tls_record_start(buf[0])) {
		static_assert(sizeof(buf) < sizeof(c->in), "room for it");
		memcpy(c->in, buf, got);
		c->in_len = got;
		return probe_conn_fail(c, PROBE_IO_CLEARTEXT,
		    "the server answered in clear instead of starting TLS");
	}
	if (BIO_write(c->rbio, buf, (int)got) != (int)got)
		return probe_conn_fail(c, PROBE_IO_ERROR,
		    "out of memory for TLS input");
	return PROBE_IO_OK;
}

enum probe_io
probe_conn_send(struct probe_conn *c, const char *s)
{
	size_t n = strlen(s), off = 0;

	step(c);
	while (off < n) {
		enum probe_io r;

		if (c->ssl != NULL) {
			ERR_clear_error();
			int w = SSL_write(c->ssl, s + off, (int)(n - off));

			if (w > 0) {
				off += (size_t)w;
				continue;
			}
			int e = SSL_get_error(c->ssl, w);

			if (e == SSL_ERROR_WANT_READ)
				r = tls_feed(c, false);
			else if (e == SSL_ERROR_WANT_WRITE)
				r = wait_fd(c, POLLOUT);
			else
				return tls_fail(c, "TLS write");
		} else {
			ssize_t w = send(c->fd, s + off, n - off, MSG_NOSIGNAL);

			if (w >= 0) {
				off += (size_t)w;
				continue;
			}
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				return probe_conn_fail(c, errno == EPIPE ||
						    errno == ECONNRESET
						    ? PROBE_IO_CLOSED
						    : PROBE_IO_ERROR,
				    "send: %s", strerror(errno));
			r = wait_fd(c, POLLOUT);
		}
		if (r != PROBE_IO_OK)
			return r;
	}
	return PROBE_IO_OK;
}

/* Read what is there into c->in (at least one byte), within the step. */
static enum probe_io
fill(struct probe_conn *c)
{
	size_t room = sizeof(c->in) - c->in_len;

	assert(room > 0);	/* a full buffer is a line too long */
	if (c->ssl == NULL) {
		size_t got = 0;
		enum probe_io r = raw_recv(c, c->in + c->in_len, room, &got);

		c->in_len += got;
		return r;
	}
	for (;;) {
		ERR_clear_error();
		int n = SSL_read(c->ssl, c->in + c->in_len, (int)room);

		if (n > 0) {
			c->in_len += (size_t)n;
			return PROBE_IO_OK;
		}
		int e = SSL_get_error(c->ssl, n);
		enum probe_io r;

		if (e == SSL_ERROR_ZERO_RETURN)
			return probe_conn_fail(c, PROBE_IO_CLOSED, "%s",
			    io_names[PROBE_IO_CLOSED]);
		if (e == SSL_ERROR_WANT_READ)
			r = tls_feed(c, false);
		else if (e == SSL_ERROR_WANT_WRITE)
			r = wait_fd(c, POLLOUT);
		else
			return tls_fail(c, "TLS read");
		if (r != PROBE_IO_OK)
			return r;
	}
}

enum probe_io
probe_conn_line(struct probe_conn *c, struct line *out)
{
	/* The previous line's bytes go: the caller's view of it ends. */
	memmove(c->in, c->in + c->line_used, c->in_len - c->line_used);
	c->in_len -= c->line_used;
	c->line_used = 0;
	for (;;) {
		size_t used;

		switch (line_next(c->in, c->in_len, sizeof(c->in), out,
		    &used)) {
		case LINE_OK:
			c->line_used = used;
			return PROBE_IO_OK;
		case LINE_TOO_LONG:
			return probe_conn_fail(c, PROBE_IO_TOO_LONG,
			    "a line longer than %u bytes", PROBE_LINE_MAX);
		case LINE_PARTIAL:
			break;
		}
		enum probe_io r = fill(c);

		if (r != PROBE_IO_OK)
			return r;
	}
}

size_t
probe_conn_pending(const struct probe_conn *c)
{
	return c->in_len - c->line_used;
}

/* A failed handshake leaves nothing usable: the connection is closed so
 * that later steps fail at once instead of resuming the handshake. */
static enum probe_io
tls_abandon(struct probe_conn *c, enum probe_io r)
{
	SSL_free(c->ssl);
	c->ssl = NULL;
	c->rbio = NULL;
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	return r;
}

enum probe_io
probe_conn_tls(struct probe_conn *c, SSL_CTX *ctx, const char *sni)
{
	bool is_first = true;

	c->in_len = 0;
	c->line_used = 0;
	step(c);
	c->ssl = SSL_new(ctx);
	BIO *rbio = BIO_new(BIO_s_mem());
	BIO *wbio = BIO_new_socket(c->fd, BIO_NOCLOSE);

	if (c->ssl == NULL || rbio == NULL || wbio == NULL) {
		BIO_free(rbio);
		BIO_free(wbio);
		return tls_abandon(c, tls_fail(c, "TLS setup"));
	}
	BIO_set_mem_eof_return(rbio, -1);	/* empty: "try again" */
	SSL_set_bio(c->ssl, rbio, wbio);	/* c->ssl owns both */
	c->rbio = rbio;
	if (sni != NULL) {
		/* OpenSSL's macro casts the const away: give it a copy. */
		char name[256];

		snprintf(name, sizeof(name), "%s", sni);
		if (SSL_set_tlsext_host_name(c->ssl, name) != 1)
			return tls_abandon(c, tls_fail(c, "TLS server name"));
	}
	for (;;) {
		ERR_clear_error();
		int ret = SSL_connect(c->ssl);

		if (ret == 1)
			return PROBE_IO_OK;
		int e = SSL_get_error(c->ssl, ret);
		enum probe_io r;

		if (e == SSL_ERROR_WANT_READ) {
			/* Trust bytes, not announcements: what comes after
			 * the server's "go ahead" must be TLS. */
			r = tls_feed(c, is_first);
			if (r == PROBE_IO_CLEARTEXT) {
				SSL_free(c->ssl);
				c->ssl = NULL;
				c->rbio = NULL;
				return r;
			}
			is_first = false;
		} else if (e == SSL_ERROR_WANT_WRITE)
			r = wait_fd(c, POLLOUT);
		else
			return tls_abandon(c, tls_fail(c, "TLS handshake"));
		if (r == PROBE_IO_TIMEOUT)
			return tls_abandon(c, probe_conn_fail(c, r,
			    "no TLS handshake within %d s",
			    c->timeout_ms / 1000));
		if (r != PROBE_IO_OK)
			return tls_abandon(c, r);
	}
}

void
probe_conn_close(struct probe_conn *c)
{
	if (c->ssl != NULL) {
		/* One close_notify, not waited for: non-blocking, so a
		 * server that never reads cannot hold us. */
		(void)SSL_shutdown(c->ssl);
		SSL_free(c->ssl);
		c->ssl = NULL;
	}
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}
