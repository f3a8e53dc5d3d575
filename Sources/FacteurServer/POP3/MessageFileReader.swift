#if canImport(Glibc)
import Glibc
#endif
import FacteurPOP3Core
import NIOCore

/// A message file sent for RETR / TOP, read and encoded (`POP3MessageEncoder`) on the I/O pool a
/// chunk at a time. A message smaller than `POP3EdgeLimits.messageChunk` (most mail) is opened,
/// read whole, encoded and closed in one visit to the pool; a larger one takes a visit per chunk,
/// and the future chain in `POP3Handler` asks for the next chunk only once the previous one is on
/// the socket, so memory stays at one chunk whatever the size of the message. The chain also
/// guarantees one user at a time, as `SpoolBox` does for SMTP.
final class MessageFileReader: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
        /// The file is not there (renamed or removed since the maildrop was listed).
        var isMissing = false
    }

    /// One visit's output: dot-stuffed octets to write, and whether they end the response.
    struct Chunk {
        var bytes: ByteBuffer
        /// The terminating "." is in `bytes`; the file is closed.
        var isLast: Bool
    }

    private var fd: Int32
    private var encoder: POP3MessageEncoder
    /// Where the file's octets land before encoding, allocated once per message.
    private let input: UnsafeMutableRawBufferPointer

    /// Opens the file (blocking). For a message smaller than a chunk the read buffer is one octet
    /// larger than the message, so that the same visit sees its end; otherwise it is one chunk, and
    /// chunks start at multiples of `chunk` in the file.
    init(path: String, topLines: Int?, chunk: Int = POP3EdgeLimits.messageChunk) throws {
        fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            throw Failure(description: "open \(path): \(String(cString: strerror(code)))", isMissing: code == ENOENT)
        }
        var status = stat()
        let size = fstat(fd, &status) == 0 ? Int(status.st_size) : chunk
        encoder = POP3MessageEncoder(topLines: topLines)
        input = .allocate(byteCount: min(max(0, size) + 1, chunk), alignment: 16)
    }

    /// Reads the next chunk and encodes it; at the end of the file (or once TOP has its lines)
    /// adds the terminating "." and closes the file (blocking).
    func next(allocator: ByteBufferAllocator) throws -> Chunk {
        let (count, atEnd) = try fill()
        var bytes = allocator.buffer(capacity: POP3MessageEncoder.maximumEncodedCount(count) + POP3MessageEncoder.maximumFinishCount)
        bytes.writeWithUnsafeMutableBytes(minimumWritableBytes: POP3MessageEncoder.maximumEncodedCount(count)) { out in
            encoder.encode(UnsafeRawBufferPointer(rebasing: input[..<count]), into: out)
        }
        let isLast = atEnd || encoder.isComplete
        if isLast {
            bytes.writeBytes(encoder.finish())
            close()
        }
        return Chunk(bytes: bytes, isLast: isLast)
    }

    /// Fills `input` from the file: how many octets, and whether the end of the file was seen.
    private func fill() throws -> (Int, Bool) {
        guard fd >= 0 else { return (0, true) }
        var filled = 0
        while filled < input.count {
            let n = Glibc.read(fd, input.baseAddress! + filled, input.count - filled)
            if n == 0 { return (filled, true) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(description: "read: \(String(cString: strerror(errno)))")
            }
            filled += n
        }
        return (filled, false)
    }

    func close() {
        if fd >= 0 { _ = Glibc.close(fd); fd = -1 }
    }

    deinit {
        close()
        input.deallocate()
    }
}
