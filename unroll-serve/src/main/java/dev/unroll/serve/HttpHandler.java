package dev.unroll.serve;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's requests, from Netty to the {@link Api} and back: the body is handed over as
 * bytes, the reply framed as HTTP/1.1 with keep-alive. Replies go out in the order their requests
 * came, even when a later one (a plain prediction) is ready before an earlier one (a session step
 * waiting for its batch): they queue here, on the connection's event loop. A request the HTTP codec
 * could not parse gets a 400 and the connection is closed; an idle connection is closed.
 */
final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(HttpHandler.class);

    private final Api api;
    private final Metrics metrics;
    private final BooleanSupplier draining;
    /** Requests answered or being answered, oldest first; touched on the event loop only. */
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();

    /** A request and, once ready, its reply. */
    private static final class Pending {
        final String endpoint;
        final long start;
        final boolean keepAlive;
        Reply reply;

        Pending(String endpoint, long start, boolean keepAlive) {
            this.endpoint = endpoint;
            this.start = start;
            this.keepAlive = keepAlive;
        }
    }

    HttpHandler(Api api, Metrics metrics, BooleanSupplier draining) {
        this.api = api;
        this.metrics = metrics;
        this.draining = draining;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        long start = System.nanoTime();
        metrics.started();
        String path = path(request.uri());
        Pending p = new Pending(Api.endpoint(path), start, HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess());
        pending.add(p);
        CompletableFuture<Reply> reply;
        if (!request.decoderResult().isSuccess()) {
            Throwable cause = request.decoderResult().cause();
            reply = CompletableFuture.completedFuture(Reply.error(ApiException.badRequest("malformed HTTP request: "
                    + (cause == null ? "unknown" : cause.getMessage())), null));
        } else {
            reply = api.handle(request.method().name(), path, ByteBufUtil.getBytes(request.content()), ctx.executor());
        }
        reply.whenComplete((r, e) -> {
            Reply answer = r != null ? r : Reply.error(new ApiException(500, "internal error: " + e), null);
            if (ctx.executor().inEventLoop()) {
                ready(ctx, p, answer);
            } else {
                ctx.executor().execute(() -> ready(ctx, p, answer));
            }
        });
    }

    /** Sends every reply at the head of the queue that is ready. */
    private void ready(ChannelHandlerContext ctx, Pending p, Reply reply) {
        p.reply = reply;
        while (!pending.isEmpty() && pending.peek().reply != null) {
            Pending head = pending.poll();
            send(ctx, head);
        }
    }

    private void send(ChannelHandlerContext ctx, Pending p) {
        write(ctx, p.reply, p.keepAlive && !draining.getAsBoolean());
        metrics.finished(p.endpoint, p.reply.status(), System.nanoTime() - p.start);
    }

    /** The path of a request URI (the query string, which no endpoint reads, cut off). */
    static String path(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    /** Writes {@code r} as an HTTP/1.1 response; without keep-alive, says so and closes the connection after it. */
    static void write(ChannelHandlerContext ctx, Reply r, boolean keepAlive) {
        var written = ctx.writeAndFlush(response(r, keepAlive));
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static FullHttpResponse response(Reply r, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                Unpooled.wrappedBuffer(r.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType()).setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
        if (r.allow() != null) {
            response.headers().set(HttpHeaderNames.ALLOW, r.allow());
        }
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return response;
    }

    /**
     * Writes {@code r} and ends the connection while the client may still be sending a body the
     * server will not read: closing at once would make the kernel answer the unread bytes with a
     * reset, which can destroy the response before the client reads it. So the output is shut after
     * the response (the client sees it, then end of stream), the rest of the body is read and
     * discarded, and the connection closes when the client closes it, or after {@link #LINGER}.
     */
    static void writeThenLinger(ChannelHandlerContext ctx, Reply r) {
        ctx.writeAndFlush(response(r, false)).addListener(done -> {
            if (ctx.channel() instanceof SocketChannel socket && done.isSuccess()) {
                socket.shutdownOutput();
                ctx.executor().schedule(() -> ctx.close(), LINGER.toMillis(), TimeUnit.MILLISECONDS);
            } else {
                ctx.close();
            }
        });
    }

    /** How long a connection answered by {@link #writeThenLinger} may go on sending before it is closed. */
    static final Duration LINGER = Duration.ofSeconds(5);

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A client that went away (reset, broken pipe) is routine; nothing to answer.
        LOG.debug("connection {} closed after an error", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}
