// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "Facteur",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "facteur", targets: ["facteur"]),
        .executable(name: "facteur-bench", targets: ["facteur-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
    ],
    targets: [
        .systemLibrary(name: "CCrypt", providers: [.apt(["libcrypt-dev"])]),
        .systemLibrary(name: "CNcursesw", providers: [.apt(["libncurses-dev"])]),
        // The system zlib, for IMAP COMPRESS=DEFLATE (RFC 4978).
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        // Messages (pure, no dependencies): header fields, addresses, RFC 5322 dates, encoded words,
        // transfer encodings and charsets, the MIME tree.
        .target(name: "FacteurMIME", swiftSettings: strict),
        // Pure protocol core: SMTP grammar and state machine, events. No I/O.
        .target(name: "FacteurCore", dependencies: ["FacteurMIME"], swiftSettings: strict),
        // IP addresses, CIDR networks, network sets and address/port text (pure, no dependencies).
        .target(name: "FacteurNet", swiftSettings: strict),
        // DNS codec and stub resolver; the router port-forward and DNS checklist.
        .target(name: "FacteurDNS", dependencies: ["FacteurNet"], swiftSettings: strict),
        .target(name: "FacteurRouter", dependencies: ["FacteurDNS", "FacteurNet"], swiftSettings: strict),
        // The guard: bans, triggers, GeoIP (MaxMind DB), PROXY protocol (pure).
        .target(name: "FacteurGuard", dependencies: ["FacteurNet"], swiftSettings: strict),
        // SPF, DKIM, DMARC and Authentication-Results over an injected resolver (pure).
        .target(name: "FacteurMailAuth", dependencies: [
            "FacteurDNS", "FacteurNet",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
        ], swiftSettings: strict),
        // POP3 server session and the POP3 wire primitives (framing, dot-stuffing, SASL PLAIN) (pure).
        .target(name: "FacteurPOP3Core", swiftSettings: strict),
        // Mail collection from providers: POP3/IMAP clients and the ledger (pure), one remote-mailbox
        // protocol over a NIO connection, the runner and scheduler.
        .target(name: "FacteurCollect", dependencies: [
            "FacteurCore", "FacteurMIME", "FacteurStore", "FacteurPOP3Core",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "NIOTLS", package: "swift-nio"),
        ], swiftSettings: strict),
        // Configuration, users, Maildir delivery, SQLite state.
        .target(name: "FacteurStore", dependencies: [
            "FacteurCore", "FacteurMIME", "CCrypt", "FacteurMailStore",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "TOMLKit", package: "TOMLKit"),
        ], swiftSettings: strict),
        // Mailbox index over the Maildirs (UIDs, flags, folders, change notifications) in SQLite.
        .target(name: "FacteurMailStore", dependencies: [
            "FacteurMIME",
            .product(name: "GRDB", package: "GRDB.swift"),
        ], swiftSettings: strict),
        // IMAP grammar, responses (ENVELOPE, BODYSTRUCTURE, sections), SEARCH and the session state machine (pure).
        .target(name: "FacteurIMAPCore", dependencies: ["FacteurMIME"], swiftSettings: strict),
        // Thin SwiftNIO edges: listeners, TLS, channel handlers, control socket.
        .target(name: "FacteurServer", dependencies: [
            "FacteurCore", "FacteurMIME", "FacteurStore", "FacteurNet", "FacteurDNS", "FacteurRouter", "FacteurGuard", "FacteurMailStore", "FacteurPOP3Core", "FacteurIMAPCore", "FacteurCollect",
            "FacteurMailAuth", "CZlib",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "NIOTLS", package: "swift-nio"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        // The ncurses console: a client of the event stream and the command interface only.
        .target(name: "FacteurConsole", dependencies: ["FacteurCore", "FacteurMIME", "CNcursesw"], swiftSettings: strict),
        .executableTarget(name: "facteur", dependencies: [
            "FacteurCore", "FacteurMIME", "FacteurNet", "FacteurStore", "FacteurServer", "FacteurCollect", "FacteurConsole", "FacteurRouter", "FacteurMailStore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .executableTarget(name: "facteur-bench", dependencies: [
            "FacteurNet", "FacteurGuard", "FacteurMailStore", "FacteurConsole", "FacteurCore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),
        .testTarget(name: "FacteurCoreTests", dependencies: ["FacteurCore", "FacteurMIME"], swiftSettings: strict),
        .testTarget(name: "FacteurConsoleTests", dependencies: ["FacteurConsole", "FacteurCore", "FacteurMIME", "CNcursesw"], swiftSettings: strict),
        .testTarget(name: "FacteurMIMETests", dependencies: ["FacteurMIME"], swiftSettings: strict),
        .testTarget(name: "FacteurIMAPCoreTests", dependencies: ["FacteurIMAPCore", "FacteurMIME"], swiftSettings: strict),
        .testTarget(name: "FacteurMailStoreTests", dependencies: ["FacteurMailStore", "FacteurMIME"], swiftSettings: strict),
        .testTarget(name: "FacteurNetTests", dependencies: ["FacteurNet", "FacteurTestSupport"], swiftSettings: strict),
        .testTarget(name: "FacteurGuardTests", dependencies: ["FacteurGuard", "FacteurNet", "FacteurTestSupport"], swiftSettings: strict),
        .testTarget(name: "FacteurPOP3CoreTests", dependencies: ["FacteurPOP3Core", "FacteurTestSupport"], swiftSettings: strict),
        .testTarget(name: "FacteurCollectTests", dependencies: ["FacteurCollect", "FacteurPOP3Core", "FacteurTestSupport"], swiftSettings: strict),
        // Test helpers shared by several test targets (a loopback DNS server).
        .target(name: "FacteurTestSupport", dependencies: ["FacteurDNS", "FacteurNet"], path: "Tests/FacteurTestSupport", swiftSettings: strict),
        .testTarget(name: "FacteurDNSTests", dependencies: ["FacteurDNS", "FacteurNet", "FacteurTestSupport"], swiftSettings: strict),
        .testTarget(name: "FacteurRouterTests", dependencies: ["FacteurRouter", "FacteurDNS", "FacteurNet", "FacteurTestSupport"], swiftSettings: strict),
        .testTarget(name: "FacteurMailAuthTests", dependencies: [
            "FacteurMailAuth", "FacteurDNS", "FacteurNet", "FacteurTestSupport",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
        ], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "FacteurStoreTests", dependencies: ["FacteurStore"], swiftSettings: strict),
        // Real `facteur` processes on loopback, driven by independent clients (smtplib, swaks …).
        .testTarget(name: "FacteurE2ETests", dependencies: [
            "facteur", "FacteurServer", "FacteurCore",
            .product(name: "NIOEmbedded", package: "swift-nio"),
        ], exclude: ["scripts"], swiftSettings: strict),
    ]
)
