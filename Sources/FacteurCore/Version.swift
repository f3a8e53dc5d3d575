public enum FacteurCoreVersion { public static let string = "0.1.0" }
