public import AsyncHTTPClient
import NIOSSL
import Synchronization

/// HTTP clients that verify servers against a certificate authority of the caller's choosing (the local
/// ensemble's, under `dynamos up --tls`), one per authority for the life of the process.
public enum TrustedHTTP {
    private static let clients = Mutex<[String: HTTPClient]>([:])

    /// The shared client when `authority` is nil, else a client that trusts only the PEM certificates in it.
    public static func client(trusting authority: String?) -> HTTPClient {
        guard let authority else { return .shared }
        return clients.withLock { clients in
            if let client = clients[authority] { return client }
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .file(authority)
            let client = HTTPClient(
                eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(tlsConfiguration: tls))
            clients[authority] = client
            return client
        }
    }
}
