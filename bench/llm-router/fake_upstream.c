/*
 * An OpenAI-compatible upstream for the router benchmark: answers every
 * request with the same chat.completion after a fixed latency, over
 * keep-alive HTTP/1.1. In C (one thread, epoll) because the Python one
 * (fake_upstream.py) needs most of a core at 1,000+ RPS and would compete
 * with the gateways it is meant to sit behind on a 2-core machine.
 *
 * The latency is the same for every request, so answers fall due in the
 * order requests arrived: a FIFO is the whole timer queue.
 *
 *   cc -O2 -o fake_upstream bench/llm-router/fake_upstream.c
 *   ./fake_upstream --port PORT --latency-ms 20
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BUFFER 65536
#define QUEUE (1 << 20)

static const char BODY[] =
    "{\"id\": \"chatcmpl-bench\", \"object\": \"chat.completion\", \"created\": 1764000000, \"model\": \"bench-upstream\", "
    "\"choices\": [{\"index\": 0, \"finish_reason\": \"stop\", \"logprobs\": null, "
    "\"message\": {\"role\": \"assistant\", \"content\": \"The answer is 42.\"}}], "
    "\"usage\": {\"prompt_tokens\": 20, \"completion_tokens\": 6, \"total_tokens\": 26}}";

typedef struct {
    int fd;               /* -1 once closed */
    int queued;           /* answers waiting in the queue: the Conn is freed when closed and none are left */
    size_t used;
    char buf[BUFFER];
} Conn;

typedef struct {
    Conn *conn;
    double due;
} Pending;

static Pending queue[QUEUE];
static size_t head, tail;
static char response[1024];
static int response_len;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Consumes complete requests from the connection's buffer, queueing one answer each. */
static void close_conn(int epfd, Conn *c) {
    epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    c->fd = -1;
    if (!c->queued) free(c);
}

static int take_requests(Conn *c, double latency) {
    for (;;) {
        char *end = memmem(c->buf, c->used, "\r\n\r\n", 4);
        if (!end) return c->used < BUFFER;
        size_t header = end - c->buf + 4;
        long length = 0;
        for (char *line = memchr(c->buf, '\n', header); line && line < end; line = memchr(line + 1, '\n', end - line))
            if (strncasecmp(line + 1, "content-length:", 15) == 0) length = atol(line + 16);
        if (header + length > BUFFER) return 0;
        if (c->used < header + length) return 1;
        memmove(c->buf, c->buf + header + length, c->used - header - length);
        c->used -= header + length;
        if (tail - head == QUEUE) return 0;
        queue[tail++ % QUEUE] = (Pending){c, now() + latency};
        c->queued++;
    }
}

int main(int argc, char **argv) {
    int port = 0;
    double latency = 0.02;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--port")) port = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--latency-ms")) latency = atof(argv[i + 1]) / 1000;
    }
    if (!port) { fprintf(stderr, "usage: fake_upstream --port PORT [--latency-ms MS]\n"); return 2; }
    response_len = snprintf(response, sizeof response,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s", strlen(BODY), BODY);

    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    if (bind(listener, (struct sockaddr *)&address, sizeof address) < 0 || listen(listener, 4096) < 0) {
        perror("fake_upstream: bind");
        return 1;
    }
    int epfd = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(epfd, EPOLL_CTL_ADD, listener, &ev);
    struct epoll_event events[512];
    for (;;) {
        int timeout = -1;
        if (head < tail) {
            double wait = queue[head % QUEUE].due - now();
            timeout = wait <= 0 ? 0 : (int)(wait * 1000 + 0.999);  /* round up: never answer early */
        }
        int n = epoll_wait(epfd, events, 512, timeout);
        for (int i = 0; i < n; i++) {
            Conn *c = events[i].data.ptr;
            if (!c) {
                int fd;
                while ((fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    Conn *conn = calloc(1, sizeof(Conn));
                    conn->fd = fd;
                    struct epoll_event cev = {.events = EPOLLIN, .data.ptr = conn};
                    epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &cev);
                }
                continue;
            }
            ssize_t got = read(c->fd, c->buf + c->used, BUFFER - c->used);
            if (got > 0) {
                c->used += got;
                if (take_requests(c, latency)) continue;
            } else if (got < 0 && errno == EAGAIN) {
                continue;
            }
            close_conn(epfd, c);  /* closed, broken or oversized; answers still queued for it are dropped */
        }
        double t = now();
        while (head < tail && queue[head % QUEUE].due <= t) {
            Conn *c = queue[head++ % QUEUE].conn;
            c->queued--;
            if (c->fd < 0) {
                if (!c->queued) free(c);
                continue;
            }
            /* Small answers on an uncongested loopback socket: a short write means the client stopped reading. */
            if (write(c->fd, response, response_len) != response_len) close_conn(epfd, c);
        }
    }
}
