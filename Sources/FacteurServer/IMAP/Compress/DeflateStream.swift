import CZlib

/// Why a COMPRESS=DEFLATE stream failed (RFC 4978).
enum DeflateError: Error, Equatable, CustomStringConvertible {
    /// zlib refused to start (out of memory).
    case initialization(Int32)
    /// The client's compressed bytes are not a valid raw deflate stream.
    case corrupt(Int32)
    /// The client's data inflates far more than any real IMAP traffic: a decompression bomb.
    case ratioExceeded(inflated: Int, compressed: Int)

    var description: String {
        switch self {
        case .initialization(let code): return "zlib initialisation failed (\(code))"
        case .corrupt(let code): return "Invalid compressed data (zlib \(code))"
        case .ratioExceeded(let inflated, let compressed):
            return "Compressed input inflates too much (\(inflated) octets from \(compressed))"
        }
    }
}

/// One direction of raw deflate (RFC 1951) over the system zlib. `z_stream` must not move
/// while zlib holds it, so it lives in memory this class owns. Used on one event loop only.
final class DeflateStream {
    enum Direction { case compress, decompress }

    private let stream: UnsafeMutablePointer<z_stream>
    let direction: Direction
    private var open = false
    /// Octets in / out since the start (for the bomb check and the byte counts).
    private(set) var totalIn = 0
    private(set) var totalOut = 0

    init(_ direction: Direction, level: Int32 = 6) throws(DeflateError) {
        self.direction = direction
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = direction == .compress ? czlib_deflate_init_raw(stream, level) : czlib_inflate_init_raw(stream)
        guard status == Z_OK else {
            stream.deallocate()
            throw .initialization(status)
        }
        open = true
    }

    deinit {
        if open {
            if direction == .compress { deflateEnd(stream) } else { inflateEnd(stream) }
        }
        stream.deallocate()
    }

    /// Compresses `input`; with `flush` the output ends on a byte boundary the peer can
    /// decode at once (Z_SYNC_FLUSH, RFC 4978 §6).
    func compress(_ input: UnsafeRawBufferPointer, flush: Bool, into output: inout [UInt8]) {
        precondition(direction == .compress)
        run(input, mode: flush ? Z_SYNC_FLUSH : Z_NO_FLUSH, chunk: 16 * 1024) { chunk in
            output.append(contentsOf: chunk)
            return true
        }
    }

    /// Inflates `input`, handing the output on in chunks of at most `chunkSize` octets.
    /// Throws when the data is not deflate or inflates beyond `allowance + ratio × input`.
    func decompress(_ input: UnsafeRawBufferPointer, chunkSize: Int, ratio: Int, allowance: Int,
                    _ deliver: ([UInt8]) -> Void) throws(DeflateError) {
        precondition(direction == .decompress)
        var failure: DeflateError?
        let status = run(input, mode: Z_SYNC_FLUSH, chunk: chunkSize) { chunk in
            if totalOut > allowance + ratio * totalIn {
                failure = .ratioExceeded(inflated: totalOut, compressed: totalIn)
                return false
            }
            deliver(Array(chunk))
            return true
        }
        if let failure { throw failure }
        if status != Z_OK && status != Z_BUF_ERROR && status != Z_STREAM_END { throw .corrupt(status) }
    }

    /// Feeds all of `input` through zlib, handing each output chunk to `sink`; stops early
    /// when `sink` returns false. Returns zlib's last status.
    @discardableResult
    private func run(_ input: UnsafeRawBufferPointer, mode: Int32, chunk: Int, _ sink: (ArraySlice<UInt8>) -> Bool) -> Int32 {
        var buffer = [UInt8](repeating: 0, count: chunk)
        var status: Int32 = Z_OK
        let base = input.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.pointee.next_in = UnsafeMutablePointer(mutating: base)
        stream.pointee.avail_in = uInt(input.count)
        repeat {
            let produced: Int = buffer.withUnsafeMutableBytes { out in
                stream.pointee.next_out = out.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = uInt(chunk)
                let before = stream.pointee.avail_in
                status = direction == .compress ? deflate(stream, mode) : inflate(stream, mode)
                totalIn += Int(before - stream.pointee.avail_in)
                return chunk - Int(stream.pointee.avail_out)
            }
            totalOut += produced
            if produced > 0 && !sink(buffer[0..<produced]) { break }
            // More output may be pending while zlib filled the whole buffer.
            if status != Z_OK { break }
            if stream.pointee.avail_in == 0 && produced < chunk { break }
        } while true
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0
        return status
    }
}
