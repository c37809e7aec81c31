/*
 * Load generator for the router benchmark, in C because a Python one on a
 * 2-core machine spends as much CPU per request as the gateway it measures
 * and caps below the rates the issue asks about. One thread, epoll,
 * keep-alive HTTP/1.1; report.py reads its output lines.
 *
 * Closed loop: --concurrency N connections, each sends its next request when
 * the last answer arrives. Open loop: --rate R requests per second on a fixed
 * schedule whatever the answers do; at most --max-connections are open, the
 * rest wait in a queue, and latency is measured from the scheduled send time,
 * so queueing is counted (no coordinated omission).
 *
 *   cc -O2 -o loadgen bench/llm-router/loadgen.c
 *   ./loadgen --url http://127.0.0.1:PORT/v1/chat/completions --concurrency 64 --duration 10
 *
 * Prints one JSON line: requests, errors, achieved rps, latency percentiles (ms).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BUFFER 65536

typedef struct Conn {
    int fd;
    int busy;              /* a request is in flight */
    double scheduled;      /* when the in-flight request was due (s) */
    size_t used;           /* bytes of the answer read so far */
    size_t sent;           /* bytes of the request written so far */
    char buf[BUFFER];
    struct Conn *next_idle;
} Conn;

static struct sockaddr_in target;
static char *payload;
static size_t payload_len;
static int epfd;
static double *latencies;
static size_t latency_count, latency_cap;
static long errors;
static double measure_from, stop_at;
static Conn *idle_list;
static int open_conns;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void record(double scheduled, int ok) {
    if (scheduled < measure_from) return;  /* warm-up */
    if (!ok) { errors++; return; }
    if (latency_count == latency_cap) {
        latency_cap = latency_cap ? latency_cap * 2 : 65536;
        latencies = realloc(latencies, latency_cap * sizeof(double));
    }
    latencies[latency_count++] = now() - scheduled;
}

static Conn *open_conn(void) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0) return NULL;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&target, sizeof target) < 0 && errno != EINPROGRESS) {
        close(fd);
        return NULL;
    }
    Conn *c = calloc(1, sizeof(Conn));
    c->fd = fd;
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLET, .data.ptr = c};
    epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
    open_conns++;
    return c;
}

static void close_conn(Conn *c) {
    epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    free(c);
    open_conns--;
}

/* Writes what is left of the request; 0 on a broken connection. */
static int flush_request(Conn *c) {
    while (c->sent < payload_len) {
        ssize_t n = write(c->fd, payload + c->sent, payload_len - c->sent);
        if (n > 0) { c->sent += n; continue; }
        if (n < 0 && (errno == EAGAIN || errno == EINPROGRESS)) return 1;
        return 0;
    }
    return 1;
}

static int send_request(Conn *c, double scheduled) {
    c->busy = 1;
    c->scheduled = scheduled;
    c->used = 0;
    c->sent = 0;
    return flush_request(c);
}

/* Length of a complete answer at the start of buf, 0 if incomplete, -1 if malformed; sets *status. */
static long complete_answer(const char *buf, size_t used, int *status) {
    const char *end = memmem(buf, used, "\r\n\r\n", 4);
    if (!end) return used >= BUFFER ? -1 : 0;
    size_t head = end - buf + 4;
    if (used < 12) return -1;
    *status = atoi(buf + 9);
    long length = -1;
    int chunked = 0;
    for (const char *line = memchr(buf, '\n', head); line && line < end; line = memchr(line + 1, '\n', end - line)) {
        const char *name = line + 1;
        if (strncasecmp(name, "content-length:", 15) == 0) length = atol(name + 15);
        else if (strncasecmp(name, "transfer-encoding:", 18) == 0 && memmem(name, end - name, "chunked", 7)) chunked = 1;
    }
    if (chunked) {
        const char *last = memmem(buf + head, used - head, "\r\n0\r\n\r\n", 7);
        if (!last && used - head >= 5 && memcmp(buf + head, "0\r\n\r\n", 5) == 0) return head + 5;
        if (!last) return used >= BUFFER ? -1 : 0;
        return last - buf + 7;
    }
    if (length < 0) length = 0;
    if (head + length > BUFFER) return -1;
    return used >= head + length ? (long)(head + length) : 0;
}

/* Reads what arrived; returns 1 when an answer completed, 0 if still waiting, -1 on failure. */
static int read_answer(Conn *c) {
    for (;;) {
        ssize_t n = read(c->fd, c->buf + c->used, BUFFER - c->used);
        if (n > 0) { c->used += n; if (c->used == BUFFER) break; continue; }
        if (n < 0 && errno == EAGAIN) break;
        return -1;  /* closed or broken */
    }
    int status = 0;
    long length = complete_answer(c->buf, c->used, &status);
    if (length < 0) return -1;
    if (length == 0) return 0;
    c->busy = 0;
    record(c->scheduled, status == 200);
    return 1;
}

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    const char *url = NULL, *model = "bench", *label = "";
    double duration = 10, warmup = 2, rate = 0;
    int concurrency = 0, max_conns = 256;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--url")) url = argv[i + 1];
        else if (!strcmp(argv[i], "--model")) model = argv[i + 1];
        else if (!strcmp(argv[i], "--duration")) duration = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--warmup")) warmup = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--concurrency")) concurrency = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--rate")) rate = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--label")) label = argv[i + 1];
        else if (!strcmp(argv[i], "--max-connections")) max_conns = atoi(argv[i + 1]);
        else { fprintf(stderr, "unknown option %s\n", argv[i]); return 2; }
    }
    char host[64];
    int port;
    char path[512];
    if (!url || sscanf(url, "http://%63[^:]:%d/%511s", host, &port, path) != 3 || (!concurrency && rate <= 0)) {
        fprintf(stderr, "usage: loadgen --url http://127.0.0.1:PORT/path (--concurrency N | --rate R) [--duration s] [--warmup s]\n");
        return 2;
    }
    target.sin_family = AF_INET;
    target.sin_port = htons(port);
    if (inet_pton(AF_INET, host, &target.sin_addr) != 1) { fprintf(stderr, "host must be an IPv4 address\n"); return 2; }
    char body[256];
    int body_len = snprintf(body, sizeof body,
        "{\"model\": \"%s\", \"messages\": [{\"role\": \"user\", \"content\": \"What is 6 times 7?\"}], \"max_tokens\": 16}", model);
    payload_len = asprintf(&payload,
        "POST /%s HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\nAuthorization: Bearer sk-bench\r\n"
        "Content-Length: %d\r\n\r\n%s", path, host, port, body_len, body);

    epfd = epoll_create1(0);
    double start = now();
    measure_from = start + warmup;
    stop_at = measure_from + duration;
    struct epoll_event events[512];

    if (concurrency) {
        for (int i = 0; i < concurrency; i++) {
            Conn *c = open_conn();
            if (c) send_request(c, now());
        }
        while (now() < stop_at) {
            int n = epoll_wait(epfd, events, 512, 100);
            for (int i = 0; i < n; i++) {
                Conn *c = events[i].data.ptr;
                if (c->busy && !flush_request(c)) goto broken_closed;
                if (!(events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) continue;
                int r = read_answer(c);
                if (r == 0) continue;
                if (r > 0) { send_request(c, now()); continue; }
            broken_closed:
                record(c->scheduled, 0);
                close_conn(c);
                if ((c = open_conn())) send_request(c, now());
            }
        }
    } else {
        /* Open loop: a FIFO of due-but-unsent scheduled times. */
        size_t cap = (size_t)(rate * (warmup + duration)) + 16, head = 0, tail = 0;
        double *queue = malloc(cap * sizeof(double));
        double interval = 1 / rate;
        long scheduled_n = 0, in_flight = 0;
        double give_up = stop_at + 30;
        for (;;) {
            double t = now();
            while (start + scheduled_n * interval <= t && start + scheduled_n * interval < stop_at && tail < cap)
                queue[tail++] = start + scheduled_n++ * interval;
            /* Hand due requests to idle connections, opening more up to the limit. */
            while (head < tail) {
                Conn *c = idle_list;
                if (c) idle_list = c->next_idle;
                else if (open_conns < max_conns) c = open_conn();
                if (!c) break;
                in_flight++;
                if (!send_request(c, queue[head++])) { record(c->scheduled, 0); in_flight--; close_conn(c); }
            }
            int schedule_done = start + scheduled_n * interval >= stop_at;
            if (schedule_done && head == tail && in_flight == 0) break;
            if (t > give_up) { errors += in_flight + (long)(tail - head); break; }  /* the target did not keep up */
            double next = schedule_done ? t + 0.05 : start + scheduled_n * interval;
            int timeout = (int)((next - now()) * 1000);
            if (timeout < 0) timeout = 0;
            /* Millisecond resolution: a request may go out up to 1 ms late, which its latency counts. */
            int n = epoll_wait(epfd, events, 512, timeout);
            for (int i = 0; i < n; i++) {
                Conn *c = events[i].data.ptr;
                if (!c->busy) {
                    if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {  /* idle connection closed by the server */
                        Conn **p = &idle_list;
                        while (*p && *p != c) p = &(*p)->next_idle;
                        if (*p) *p = c->next_idle;
                        close_conn(c);
                    }
                    continue;
                }
                int r = flush_request(c) ? ((events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) ? read_answer(c) : 0) : -1;
                if (r == 0) continue;
                in_flight--;
                if (r > 0) { c->next_idle = idle_list; idle_list = c; continue; }
                record(c->scheduled, 0);
                close_conn(c);
            }
        }
    }

    qsort(latencies, latency_count, sizeof(double), compare_doubles);
    char p[4][32];
    const double qs[3] = {0.50, 0.90, 0.99};
    for (int i = 0; i < 4; i++) {
        if (!latency_count) { strcpy(p[i], "null"); continue; }
        size_t k = i < 3 ? (size_t)(qs[i] * latency_count) : latency_count - 1;
        if (k >= latency_count) k = latency_count - 1;
        snprintf(p[i], sizeof p[i], "%.3f", latencies[k] * 1000);
    }
    char conc[16], target_rps[32];
    if (concurrency) snprintf(conc, sizeof conc, "%d", concurrency); else strcpy(conc, "null");
    if (rate > 0) snprintf(target_rps, sizeof target_rps, "%.1f", rate); else strcpy(target_rps, "null");
    printf("{\"label\": \"%s\", \"mode\": \"%s\", \"concurrency\": %s, \"target_rps\": %s, \"requests\": %zu, \"errors\": %ld, "
           "\"rps\": %.1f, \"p50_ms\": %s, \"p90_ms\": %s, \"p99_ms\": %s, \"max_ms\": %s}\n",
           label, concurrency ? "concurrency" : "rate", conc, target_rps, latency_count, errors,
           latency_count / duration, p[0], p[1], p[2], p[3]);
    return 0;
}
