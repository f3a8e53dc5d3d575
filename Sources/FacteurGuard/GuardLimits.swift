import Foundation

/// Every bound the guard's parsers and tables respect, in one place.
public enum GuardLimits {
    // MARK: Network list files

    /// Longest line of an allow/deny list file, comment included.
    public static let maxListLineLength = 1024
    /// Most entries one list file may hold.
    public static let maxListEntries = 1_000_000

    // MARK: Evidence kept with a ban

    /// Most transcript lines kept as evidence of one ban (the latest are kept).
    public static let maxEvidenceLines = 50
    /// Longer evidence lines are cut to this many characters.
    public static let maxEvidenceLineLength = 512
    /// Most offender addresses (or IPv6 prefixes) whose recent offences and connections are
    /// counted at once.
    public static let maxTrackedOffenders = 200_000
    /// Most distinct password digests remembered per address for the auth trigger.
    public static let maxTrackedPasswordDigests = 64

    // MARK: MaxMind DB

    /// Largest .mmdb file accepted (the full GeoLite2-City is about 70 MB).
    public static let maxMMDBFileSize = 512 * 1024 * 1024
    /// The metadata marker is searched in this many bytes at the end of the file (format spec).
    public static let mmdbMetadataSearchWindow = 128 * 1024
    /// Deepest nesting of maps, arrays and pointers the data decoder follows.
    public static let mmdbMaxDecodeDepth = 32

    // MARK: PROXY protocol (haproxy proxy-protocol.txt)

    /// Version 1 header, "PROXY ... \r\n" included: 107 bytes (spec section 2.1).
    public static let proxyV1MaxLength = 107
    /// Version 2 fixed part: 12-byte signature, version/command, family, 2-byte length.
    public static let proxyV2FixedLength = 16
    /// Largest version 2 variable part (addresses and TLVs) we accept. The field allows 65535;
    /// real proxies send well under 1 KiB.
    public static let proxyV2MaxVariableLength = 4096
}
