public import DynamosErrors
public import Foundation
import Glibc

/// Files only their owner may read: keys, credentials, passwords.
///
/// A secret is written to a temporary file created with mode 0600 (whatever the umask) and renamed into place, so
/// no reader ever sees a half-written or world-readable secret.
public enum SecretFile {
    /// A file could not be written.
    public struct WriteError: DynamosError {
        public let message: String
        /// The error underneath, when this one reports on another.
        public let cause: ErrorCause?

        public init(_ message: String, cause: (any Error)? = nil) {
            self.message = message
            self.cause = ErrorCause?(wrapping: cause)
        }
    }

    /// Writes `data` to `path` with mode 0600, replacing what was there; creates the directory (mode 0700) if needed.
    public static func write(_ data: Data, to path: String) throws(WriteError) {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
            do {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw WriteError("cannot create \(directory): \(error.localizedDescription)")
            }
        }
        let temporary = path + ".tmp-\(getpid())"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw WriteError("cannot create \(temporary): errno \(errno)") }
        _ = fchmod(fd, 0o600)
        let written = data.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == data.count, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw WriteError("cannot write \(path): errno \(errno)")
        }
    }

    /// Writes `text` with mode 0600.
    public static func write(_ text: String, to path: String) throws(WriteError) {
        try write(Data(text.utf8), to: path)
    }

    /// The permission bits of `path`, or nil when it does not exist.
    public static func permissions(of path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int(info.st_mode) & 0o777
    }
}
