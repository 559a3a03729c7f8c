// swift-tools-version:6.0
// libFuzzer targets for bieumau's readers. Built and run by scripts/fuzz (not part of the main
// package's build): swift build --sanitize fuzzer -Xswiftc -sanitize=fuzzer,address
import PackageDescription

let fuzz: [SwiftSetting] = [.swiftLanguageMode(.v6), .unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "bieumau-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "bieumau", path: "..")],
    targets: [
        .executableTarget(name: "FuzzCSV", dependencies: [.product(name: "BieuMau", package: "bieumau")],
                          swiftSettings: fuzz),
        .executableTarget(name: "FuzzXLSX", dependencies: [.product(name: "BieuMau", package: "bieumau")],
                          swiftSettings: fuzz),
        .executableTarget(name: "FuzzODS", dependencies: [.product(name: "BieuMau", package: "bieumau")],
                          swiftSettings: fuzz),
        .executableTarget(name: "FuzzXLS", dependencies: [.product(name: "BieuMau", package: "bieumau")],
                          swiftSettings: fuzz),
        .executableTarget(name: "FuzzXMLScanner", dependencies: [.product(name: "BieuMau", package: "bieumau")],
                          swiftSettings: fuzz),
        .executableTarget(name: "FuzzForm", dependencies: [.product(name: "BieuMau", package: "bieumau")],
                          swiftSettings: fuzz),
        .executableTarget(name: "FuzzDOCX", dependencies: [.product(name: "BieuMau", package: "bieumau")],
                          swiftSettings: fuzz),
        .executableTarget(name: "FuzzLegacyText", dependencies: [.product(name: "BieuMau", package: "bieumau")],
                          swiftSettings: fuzz),
        .executableTarget(name: "FuzzNumber", dependencies: [.product(name: "BieuMau", package: "bieumau")],
                          swiftSettings: fuzz),
        // Issue #10: pairs of numbers through every ExactDecimal operation; any text through the writer.
        .executableTarget(name: "FuzzNumberPairs", dependencies: [.product(name: "BieuMau", package: "bieumau")],
                          swiftSettings: fuzz),
        .executableTarget(name: "FuzzWriterStrings", dependencies: [.product(name: "BieuMau", package: "bieumau")],
                          swiftSettings: fuzz),
    ]
)
