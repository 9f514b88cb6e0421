package vigil.lab;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * Neo4j 5 Community, embedded, with only the Bolt connector (127.0.0.1), for the Vigil lab.
 *
 * <pre>
 *   java vigil.lab.VigilNeo4j --home DIR [--port 7687] [--pagecache-mb 256]
 * </pre>
 *
 * DIR holds the databases and Neo4j's debug log (DIR/logs/debug.log); lab/neo4j gives a fresh one per
 * run. Authentication is on: user {@code neo4j}, password from the environment variable
 * NEO4J_PASSWORD (default {@value #DEFAULT_PASSWORD}), set without "change required" before the
 * ready line. Prints {@code VIGIL_NEO4J_READY bolt://127.0.0.1:PORT} on stdout once Bolt answers a
 * handshake; shuts the databases down cleanly on SIGTERM/SIGINT.
 */
public final class VigilNeo4j {
    static final String DEFAULT_PASSWORD = "vigil-lab-password";
    static final String READY = "VIGIL_NEO4J_READY";

    public static void main(String[] args) throws Exception {
        Path home = null;
        int port = BoltConnector.DEFAULT_PORT;
        long pageCacheMb = 256;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--home" -> { home = Path.of(need(a, v)); i++; }
                case "--port" -> { port = Integer.parseInt(need(a, v)); i++; }
                case "--pagecache-mb" -> { pageCacheMb = Long.parseLong(need(a, v)); i++; }
                default -> usage("unknown argument " + a);
            }
        }
        if (home == null) usage("--home is required");
        String password = System.getenv().getOrDefault("NEO4J_PASSWORD", DEFAULT_PASSWORD);
        if (password.length() < 8) usage("NEO4J_PASSWORD must have at least 8 characters (Neo4j's minimum)");
        Files.createDirectories(home);

        long t0 = System.nanoTime();
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home.toAbsolutePath())
                // Neo4j's user log (startup, errors) goes to stdout, which lab/neo4j sends to its log file.
                .setUserLogProvider(new Log4jLogProvider(System.out, Level.INFO))
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMb))
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                // Netty waits a 5 s quiet period per event loop group on shutdown (10 s in all): not here.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(5))
                .build();

        long tBuilt = System.nanoTime();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("VigilNeo4j: shutting down");
            try {
                dbms.shutdown();
            } finally {
                System.out.println("VigilNeo4j: stopped");
                System.out.flush();
                stopped.countDown();
            }
        }, "vigil-neo4j-shutdown"));

        try {
            // Embedded transactions run with full rights, so the system database takes the password directly.
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
            // Also makes sure the default database ("neo4j") is online before we call it ready, and
            // pays for the first Cypher compilation here rather than in a test.
            dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");
            awaitBolt(port, Duration.ofSeconds(60));
        } catch (Exception e) {
            // Neo4j's threads would keep the JVM alive: exit (the shutdown hook closes the databases).
            e.printStackTrace(System.out);
            System.exit(1);
        }
        long now = System.nanoTime();
        System.out.printf("%s bolt://127.0.0.1:%d (databases up in %d ms, password and first queries %d ms)%n",
                READY, port, (tBuilt - t0) / 1_000_000, (now - tBuilt) / 1_000_000);
        System.out.flush();
        stopped.await();
    }

    /** Waits until a Bolt handshake on 127.0.0.1:port gets a version back. */
    static void awaitBolt(int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        // magic 0x6060B017, then four proposals: 5.0-5.4 (range 4), 4.4, none, none
        byte[] hello = {0x60, 0x60, (byte) 0xB0, 0x17, 0, 4, 4, 5, 0, 0, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0};
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                s.setSoTimeout(2000);
                OutputStream out = s.getOutputStream();
                out.write(hello);
                out.flush();
                byte[] version = s.getInputStream().readNBytes(4);
                if (version.length == 4 && (version[2] | version[3]) != 0) return;
                last = new IOException("Bolt handshake refused");
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Bolt on 127.0.0.1:" + port + " did not answer", last);
    }

    static String need(String flag, String value) {
        if (value == null) usage(flag + " needs a value");
        return value;
    }

    static void usage(String why) {
        System.err.println("VigilNeo4j: " + why);
        System.err.println("usage: java vigil.lab.VigilNeo4j --home DIR [--port 7687] [--pagecache-mb 256]");
        System.exit(2);
    }
}
