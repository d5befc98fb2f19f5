public import DynamosErrors
import Hummingbird
public import HummingbirdCore
import HummingbirdTLS
import NIOSSL

/// How the orchestrator and agents serve HTTP: plain, or HTTPS with a certificate chain and key from PEM files.
public struct ServerTLS: Sendable {
    public let certificate: String
    public let key: String

    /// HTTPS with the certificate chain in `certificate` and the private key in `key`; nil when neither is given.
    /// - Throws: `ServerTLSError` when only one of the two is given.
    public static func from(certificate: String?, key: String?) throws -> ServerTLS? {
        switch (certificate, key) {
        case (nil, nil): return nil
        case (let certificate?, let key?): return ServerTLS(certificate: certificate, key: key)
        default: throw ServerTLSError("give both --tls-certificate and --tls-key, or neither")
        }
    }

    /// The URL scheme of a server with `tls`.
    public static func scheme(_ tls: ServerTLS?) -> String { tls == nil ? "http" : "https" }

    /// The server builder for Hummingbird's `Application`: HTTP/1.1, over TLS when `tls` is set.
    public static func builder(_ tls: ServerTLS?) throws -> HTTPServerBuilder {
        guard let tls else { return .http1() }
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(tls.certificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: tls.key, format: .pem)))
        return try .tls(.http1(), tlsConfiguration: configuration)
    }
}

/// The server's TLS settings are unusable; the message says why.
public struct ServerTLSError: DynamosError {
    public let message: String
    /// The error underneath, when this one reports on another.
    public let cause: ErrorCause?

    public init(_ message: String, cause: (any Error)? = nil) {
        self.message = message
        self.cause = ErrorCause?(wrapping: cause)
    }
}
