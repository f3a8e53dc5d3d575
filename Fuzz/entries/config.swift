/// Fuzz target config (modules FacteurMIME, FacteurCore, FacteurStore's Config folder, TOMLKit and
/// the toml++ C++ parser under it): TOML text → `Config.parse`, the loader `facteur serve` runs —
/// toml++'s parser, TOMLKit's tables and every section reader with its validation. Any input
/// must end in a `Config` or a `ConfigError` naming the file, never in a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let config = try Config.parse(text, file: "/etc/facteur/fuzz.toml")
        precondition(!config.domains.isEmpty, "a configuration without a domain was accepted")
        precondition(config.dataDir.hasPrefix("/"), "data_dir is not absolute")
    } catch let error as ConfigError {
        precondition(error.file == "/etc/facteur/fuzz.toml", "an error that does not name its file")
        if let line = error.line { precondition(line >= 1, "an error on line \(line)") }
    } catch {
        preconditionFailure("Config.parse threw something other than a ConfigError: \(error)")
    }
    return 0
}
