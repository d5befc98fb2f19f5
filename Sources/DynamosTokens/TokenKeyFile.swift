public import DynamosControl
import Foundation
import JWTKit

/// The orchestrator's token signing key on disk: a PEM file made on first start (mode 0600), its public half beside
/// it as `<file>.pub` for agents.
public enum TokenKeyFile {
    /// The private key PEM at `path`, created with a fresh Ed25519 key when the file does not exist; the public key
    /// is (re)written to `path + ".pub"`.
    /// - Throws: `ControlError` `.internalError` when the files cannot be read or written.
    public static func loadOrCreate(at path: String) throws(ControlError) -> (privateKeyPEM: String, publicKeyPEM: String) {
        let manager = FileManager.default
        do {
            let privatePEM: String
            let key: EdDSA.PrivateKey
            if manager.fileExists(atPath: path) {
                privatePEM = try String(contentsOfFile: path, encoding: .utf8)
                key = try EdDSA.PrivateKey(pem: privatePEM)
            } else {
                key = try EdDSA.PrivateKey(curve: .ed25519)
                privatePEM = key.pemRepresentation
                let directory = (path as NSString).deletingLastPathComponent
                if !directory.isEmpty {
                    try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
                }
                try writePrivately(privatePEM, to: path)
            }
            let publicPEM = key.publicKey.pemRepresentation
            try publicPEM.write(toFile: path + ".pub", atomically: true, encoding: .utf8)
            return (privatePEM, publicPEM)
        } catch let error as ControlError {
            throw error
        } catch {
            throw ControlError(.internalError, "the token key file \(path) cannot be used", cause: error)
        }
    }

    /// Creates `path` with mode 0600 from the start (never readable by others, whatever the umask) and writes `text`.
    private static func writePrivately(_ text: String, to path: String) throws(ControlError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            throw ControlError(.internalError, "cannot create the token key file \(path): errno \(errno)")
        }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            throw ControlError(.internalError, "cannot write the token key file \(path): errno \(errno)")
        }
    }
}
