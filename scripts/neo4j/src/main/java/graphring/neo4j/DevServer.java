package graphring.neo4j;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * Embedded Neo4j Community server with Bolt, GDS and APOC, for graphring
 * development and tests.
 *
 * <pre>
 * java -cp 'lib/*:lib/plugins/*' graphring.neo4j.DevServer
 *      [--port 7687] [--host 127.0.0.1] [--data DIR] [--plugins DIR]
 *      [--pagecache-mb 256] [--tx-max-mb 1024]
 * </pre>
 *
 * <ul>
 *   <li>{@code --port 0} lets the OS choose a free port; the chosen one is printed.</li>
 *   <li>Without {@code --data} a throw-away temporary directory is used and
 *       deleted on shutdown.</li>
 *   <li>Auth is disabled; Bolt listens on the loopback address only.</li>
 *   <li>When the default database is available, prints
 *       {@code READY bolt://HOST:PORT} on stdout.</li>
 *   <li>SIGTERM / SIGINT shut the DBMS down cleanly (JVM shutdown hook).</li>
 * </ul>
 */
public final class DevServer {

    private DevServer() {}

    public static void main(String[] args) throws Exception {
        long jvmStartMs = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        Map<String, String> opts = parseArgs(args);
        String host = opts.getOrDefault("host", "127.0.0.1");
        int port = Integer.parseInt(opts.getOrDefault("port", "7687"));
        long pagecacheMb = Long.parseLong(opts.getOrDefault("pagecache-mb", "256"));
        long txMaxMb = Long.parseLong(opts.getOrDefault("tx-max-mb", "1024"));

        boolean temporary = !opts.containsKey("data");
        Path home = temporary
                ? Files.createTempDirectory("graphring-neo4j-")
                : Path.of(opts.get("data")).toAbsolutePath();
        Files.createDirectories(home);
        Path plugins = Path.of(opts.getOrDefault("plugins", defaultPluginDir().toString())).toAbsolutePath();
        if (!Files.isDirectory(plugins)) {
            System.err.println("WARNING plugins directory " + plugins + " does not exist: no GDS/APOC procedures");
        }

        // Registered before start-up so that SIGTERM at any time shuts down
        // cleanly and removes a temporary home.
        AtomicReference<DatabaseManagementService> running = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("STOPPING");
            System.out.flush();
            DatabaseManagementService service = running.getAndSet(null);
            if (service != null) {
                try {
                    service.shutdown();
                } catch (Throwable t) {
                    t.printStackTrace();
                }
            }
            if (temporary) {
                deleteRecursively(home);
            }
            System.out.println("STOPPED");
            System.out.flush();
            stopped.countDown();
        }, "graphring-neo4j-shutdown"));

        DatabaseManagementService dbms;
        try {
            dbms = build(home, host, port, plugins, pagecacheMb, txMaxMb);
            running.set(dbms);
        } catch (Throwable t) {
            t.printStackTrace();
            System.err.println("FAILED to start Neo4j: " + t);
            System.exit(1); // the shutdown hook removes a temporary home
            return;
        }

        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        while (!db.isAvailable(Duration.ofSeconds(1).toMillis())) {
            System.err.println("waiting for database " + db.databaseName());
        }
        int boltPort = port;
        try {
            ConnectorPortRegister ports = ((GraphDatabaseAPI) db).getDependencyResolver()
                    .resolveDependency(ConnectorPortRegister.class);
            boltPort = ports.getLocalAddress(ConnectorType.BOLT).getPort();
        } catch (RuntimeException e) {
            System.err.println("WARNING could not read the bound Bolt port: " + e);
        }

        System.out.println("PID " + ProcessHandle.current().pid());
        System.out.println("HOME " + home);
        System.out.printf("STARTED_IN %.1fs (since JVM start)%n", (System.currentTimeMillis() - jvmStartMs) / 1e3);
        System.out.println("READY bolt://" + host + ":" + boltPort);
        System.out.flush();
        System.out.println("VERSIONS " + versions(db));
        System.out.flush();

        // Keep the JVM alive until SIGTERM/SIGINT runs the shutdown hook.
        while (!stopped.await(1, TimeUnit.HOURS)) {
            // keep waiting
        }
    }

    private static DatabaseManagementService build(Path home, String host, int port, Path plugins,
                                                   long pagecacheMb, long txMaxMb) {
        return new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(host, port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.plugin_dir, plugins)
                .setConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("gds.*", "apoc.*"))
                .setConfig(GraphDatabaseSettings.procedure_allowlist, List.of("*"))
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pagecacheMb))
                .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, ByteUnit.mebiBytes(txMaxMb))
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // Bolt waits 2 x 5 s for idle connections / netty on shutdown by default.
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(2))
                .build();
    }

    private static String versions(GraphDatabaseService db) {
        StringBuilder sb = new StringBuilder();
        sb.append("neo4j=").append(query(db, "CALL dbms.components() YIELD versions RETURN versions[0] AS v"));
        sb.append(" gds=").append(query(db, "RETURN gds.version() AS v"));
        sb.append(" apoc=").append(query(db, "RETURN apoc.version() AS v"));
        return sb.toString();
    }

    private static String query(GraphDatabaseService db, String cypher) {
        try {
            return db.executeTransactionally(cypher, Map.of(),
                    r -> r.hasNext() ? String.valueOf(r.next().get("v")) : "none");
        } catch (RuntimeException e) {
            String msg = String.valueOf(e.getMessage()).replace('\n', ' ');
            System.err.println("WARNING `" + cypher + "` failed: " + msg);
            return "unavailable";
        }
    }

    private static Path defaultPluginDir() {
        // lib/plugins next to the directory holding this class's jar.
        try {
            Path jar = Path.of(DevServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.getParent().resolve("plugins");
        } catch (Exception e) {
            return Path.of("lib", "plugins");
        }
    }

    private static Map<String, String> parseArgs(String[] args) {
        java.util.HashMap<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                System.out.println("usage: DevServer [--port P] [--host H] [--data DIR] [--plugins DIR]"
                        + " [--pagecache-mb N] [--tx-max-mb N]");
                System.exit(0);
            }
            if (!a.startsWith("--")) {
                if (i == 0 && a.matches("\\d+")) { // bare port as first argument
                    m.put("port", a);
                    continue;
                }
                throw new IllegalArgumentException("unexpected argument: " + a);
            }
            String key = a.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for " + a);
                }
                value = args[++i];
            }
            m.put(key, value);
        }
        return m;
    }

    /** Best-effort recursive delete (log files may still be written while closing). */
    private static void deleteRecursively(Path root) {
        for (int attempt = 0; attempt < 5 && Files.exists(root); attempt++) {
            try {
                Files.walkFileTree(root, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        Files.deleteIfExists(file);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException exc) {
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                        Files.deleteIfExists(dir);
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        if (Files.exists(root)) {
            System.err.println("WARNING could not delete " + root);
        }
    }
}
