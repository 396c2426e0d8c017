package io.chiron.app.chaos;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on loopback that the actuator's HTTP backend posts to: it answers 200, or
 * refuses connections while stopped (its port closed), and starts again on the same port.
 */
final class Webhook implements AutoCloseable {
    private final int port;
    private final AtomicInteger received = new AtomicInteger();
    private HttpServer server;

    Webhook() {
        start(0);
        this.port = server.getAddress().getPort();
    }

    String url() {
        return "http://127.0.0.1:" + port + "/commands";
    }

    int received() {
        return received.get();
    }

    synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    synchronized void restart() {
        if (server == null) {
            start(port);
        }
    }

    private void start(int on) {
        try {
            server =
                    HttpServer.create(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), on), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the webhook on port " + on, e);
        }
        server.createContext(
                "/commands",
                exchange -> {
                    exchange.getRequestBody().readAllBytes();
                    received.incrementAndGet();
                    exchange.sendResponseHeaders(200, -1);
                    exchange.close();
                });
        server.start();
    }

    @Override
    public void close() {
        stop();
    }
}
