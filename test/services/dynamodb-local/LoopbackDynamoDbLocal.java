import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Starts AWS's DynamoDB Local listening on loopback only. DynamoDB Local accepts any credentials, and its own main
 * listens on every interface with no option to change that; this sets its Jetty connectors to 127.0.0.1 before they
 * open. Takes DynamoDB Local's own arguments (-port, -inMemory, -dbPath, -sharedDb, ...). Run it in source-file mode
 * with the jar on the class path:
 *   java -Djava.library.path=DynamoDBLocal_lib -cp 'DynamoDBLocal.jar:DynamoDBLocal_lib/*' LoopbackDynamoDbLocal.java -port 8000 -inMemory
 */
public final class LoopbackDynamoDbLocal {
    private LoopbackDynamoDbLocal() {
    }

    public static void main(String[] args) throws Exception {
        DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
        Field field = DynamoDBProxyServer.class.getDeclaredField("server");
        field.setAccessible(true);
        Server server = (Server) field.get(proxy);
        for (Connector connector : server.getConnectors()) {
            ((ServerConnector) connector).setHost("127.0.0.1");
        }

        // SIGTERM (how the tests stop it) stops the server and closes its database, rather than leaving both mid-write.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                proxy.stop();
            } catch (Exception e) {
                System.err.println("DynamoDB Local did not stop cleanly: " + e);
            }
        }));
        proxy.start();
        System.out.println("DynamoDB Local listens on 127.0.0.1");
        proxy.join();
    }
}
