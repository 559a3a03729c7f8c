// swift-tools-version:6.0
// bieumau: the statistical appendix of Vietnamese government reports as checked, official
// Excel workbooks. Data flows one way:
//   file -> grid (CSVInput, XLSXInput) -> TableLocator -> AppendixModel
//        -> AppendixValidation / AppendixMerge -> OfficialWorkbook (libxlsxwriter)
// Forms are data (Templates/), read by FormSchema. C libraries are seen only by their wrappers.
import PackageDescription

let swiftSettings: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "bieumau",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "bieumau", targets: ["bieumau"]),
        .library(name: "BieuMau", targets: [
            "BieuMau", "SheetGrid", "XMLScan", "CSVInput", "XLSXInput", "XLSInput", "ODSInput", "DOCXInput", "VietnameseText",
            "FormSchema", "AppendixModel", "TableLocator", "AppendixValidation", "AppendixMerge", "OfficialWorkbook", "FormImport",
            "Crosscheck",
        ]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // The submission portal (`bieumau serve`): HTTP, bcrypt, SQLite, server-side templates.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // C libraries (system), each seen only by its thin wrapper.
        .systemLibrary(name: "CXlsxWriter", pkgConfig: "xlsxwriter",
                       providers: [.apt(["libxlsxwriter-dev"])]),
        .systemLibrary(name: "CZip", pkgConfig: "libzip", providers: [.apt(["libzip-dev"])]),
        // libdeflate: a small deflated part inflated whole (faster than zlib's streaming, CRC-32 by PCLMUL).
        .systemLibrary(name: "CDeflate", pkgConfig: "libdeflate", providers: [.apt(["libdeflate-dev"])]),
        .target(name: "ZipWrapper", dependencies: ["CZip", "CDeflate", "Support"], swiftSettings: swiftSettings),
        .systemLibrary(name: "CFreeXL", pkgConfig: "freexl", providers: [.apt(["libfreexl-dev"])]),
        .target(name: "FreeXLWrapper", dependencies: ["CFreeXL"], swiftSettings: swiftSettings),
        // iconv (the C library's), for Windows-1258 and UTF-16 CSV files.
        .target(name: "IconvWrapper", swiftSettings: swiftSettings),
        .target(name: "XlsxWriterWrapper", dependencies: ["CXlsxWriter", "Support"], swiftSettings: swiftSettings),
        // libcrypto (OpenSSL) for SHA-256, with the processor's SHA instructions.
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .target(name: "CryptoWrapper", dependencies: ["CCrypto", "Support"], swiftSettings: swiftSettings),

        // Shared plumbing: errors with exit codes, messages in two languages, atomic output.
        .target(name: "Support", swiftSettings: swiftSettings),
        // The chunked XML scanner every reader of an XML package (XLSX, ODS, DOCX) shares.
        .target(name: "XMLScan", dependencies: ["Support"], swiftSettings: swiftSettings),
        // A sheet of cells, whatever format it came from.
        .target(name: "SheetGrid", dependencies: ["Support"], swiftSettings: swiftSettings),
        // Readers: each owns its format and produces a grid.
        // Legacy Vietnamese font encodings (TCVN3, VNI) → Unicode, for every reader.
        .target(name: "VietnameseText", swiftSettings: swiftSettings),
        .target(name: "CSVInput", dependencies: ["SheetGrid", "Support", "IconvWrapper", "VietnameseText"], swiftSettings: swiftSettings),
        .target(name: "XLSXInput", dependencies: ["SheetGrid", "Support", "ZipWrapper", "XMLScan", "VietnameseText"],
                swiftSettings: swiftSettings),
        // .xls read by Swift code alone; FreeXL (FreeXLWrapper) is a second, independent reader
        // in the tests only, so that no C code reads an untrusted .xls in production.
        .target(name: "XLSInput", dependencies: ["SheetGrid", "Support", "XLSXInput", "VietnameseText", "IconvWrapper"],
                swiftSettings: swiftSettings),
        .target(name: "ODSInput", dependencies: ["SheetGrid", "Support", "ZipWrapper", "XMLScan", "VietnameseText"],
                swiftSettings: swiftSettings),
        .target(name: "DOCXInput", dependencies: ["SheetGrid", "Support", "ZipWrapper", "XMLScan", "VietnameseText"],
                swiftSettings: swiftSettings),
        // The schema module: form definitions are data under Templates/.
        .target(name: "FormSchema", dependencies: ["Support", "CryptoWrapper", .product(name: "Yams", package: "Yams")],
                swiftSettings: swiftSettings),
        // A filled appendix: form + metadata + one value per row; exact decimals; number parsing.
        .target(name: "AppendixModel", dependencies: ["FormSchema", "Support"], swiftSettings: swiftSettings),
        // Finds the table in a grid and matches its rows to the form.
        .target(name: "TableLocator", dependencies: ["SheetGrid", "FormSchema", "AppendixModel", "Support"],
                swiftSettings: swiftSettings),
        .target(name: "AppendixValidation", dependencies: ["FormSchema", "AppendixModel", "Support"],
                swiftSettings: swiftSettings),
        .target(name: "AppendixMerge", dependencies: ["FormSchema", "AppendixModel", "AppendixValidation", "SheetGrid", "Support"],
                swiftSettings: swiftSettings),
        // The report's narrative checked against its own appendix (text-mismatch, text-arithmetic).
        .target(name: "Crosscheck", dependencies: ["FormSchema", "AppendixModel", "AppendixValidation", "Support"],
                swiftSettings: swiftSettings),
        // A form inferred from the workbook a province sends (forms import), forms compared (forms diff).
        .target(name: "FormImport",
                dependencies: ["FormSchema", "AppendixModel", "TableLocator", "SheetGrid", "Support",
                               .product(name: "Yams", package: "Yams")],
                swiftSettings: swiftSettings),
        // The official layout, written with libxlsxwriter.
        .target(name: "OfficialWorkbook",
                dependencies: ["FormSchema", "AppendixModel", "AppendixValidation", "AppendixMerge", "XlsxWriterWrapper", "Support"],
                swiftSettings: swiftSettings),

        // The façade every front end calls: one reader entry point (sniffing lives here only)
        // and one call per job.
        .target(name: "BieuMau",
                dependencies: ["Support", "CryptoWrapper", "SheetGrid", "CSVInput", "XLSXInput", "XLSInput", "ODSInput", "DOCXInput",
                               "VietnameseText", "FormSchema", "AppendixModel",
                               "TableLocator", "AppendixValidation", "AppendixMerge", "OfficialWorkbook", "Crosscheck"],
                swiftSettings: swiftSettings),

        // The submission portal: routes, pages, JSON API and the store (SQLite + files by SHA-256).
        .target(name: "Portal",
                dependencies: [
                    "BieuMau", "Support", "SheetGrid", "CSVInput", "XLSXInput", "FormSchema", "AppendixModel", "TableLocator",
                    "AppendixValidation", "AppendixMerge", "OfficialWorkbook", "ZipWrapper", "CryptoWrapper",
                    .product(name: "Hummingbird", package: "hummingbird"),
                    .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                    .product(name: "GRDB", package: "GRDB.swift"),
                    .product(name: "Mustache", package: "swift-mustache"),
                ],
                resources: [.copy("Resources")],
                swiftSettings: swiftSettings),

        .executableTarget(
            name: "bieumau",
            dependencies: [
                "BieuMau", "Support", "SheetGrid", "CSVInput", "XLSXInput", "FormSchema", "AppendixModel",
                "TableLocator", "AppendixValidation", "AppendixMerge", "OfficialWorkbook", "XlsxWriterWrapper",
                "FormImport", "Crosscheck", "Portal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings),

        // Tests
        .target(name: "TestSupport", dependencies: ["Support", "SheetGrid"], path: "Tests/TestSupport",
                swiftSettings: swiftSettings),
        .testTarget(name: "AppendixModelTests", dependencies: ["AppendixModel", "FormSchema", "TestSupport"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "FormSchemaTests", dependencies: ["FormSchema", "TestSupport"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "CSVInputTests", dependencies: ["CSVInput", "SheetGrid", "TestSupport"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "XLSXInputTests", dependencies: ["XLSXInput", "XMLScan", "SheetGrid", "TestSupport"],
                    exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(name: "XLSInputTests", dependencies: ["XLSInput", "FreeXLWrapper", "SheetGrid", "Support", "TestSupport"],
                    exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(name: "ODSInputTests", dependencies: ["ODSInput", "SheetGrid", "Support", "TestSupport"],
                    exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(name: "TableLocatorTests",
                    dependencies: ["TableLocator", "CSVInput", "SheetGrid", "FormSchema", "AppendixModel", "TestSupport"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "OfficialWorkbookTests",
                    dependencies: ["OfficialWorkbook", "XlsxWriterWrapper", "FormSchema", "AppendixModel", "TestSupport"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "AppendixValidationTests",
                    dependencies: ["AppendixValidation", "FormSchema", "AppendixModel", "TestSupport"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "AppendixMergeTests",
                    dependencies: ["AppendixMerge", "FormSchema", "AppendixModel", "CryptoWrapper", "TestSupport"],
                    exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(name: "VietnameseTextTests", dependencies: ["VietnameseText", "TestSupport"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "DOCXInputTests", dependencies: ["DOCXInput", "SheetGrid", "Support", "TestSupport"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "CrosscheckTests",
                    dependencies: ["Crosscheck", "BieuMau", "CSVInput", "TableLocator", "FormSchema", "AppendixModel", "TestSupport"],
                    exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(name: "BieuMauTests",
                    dependencies: ["BieuMau", "FormSchema", "AppendixModel", "OfficialWorkbook", "Support", "TestSupport"],
                    exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"], exclude: ["Fixtures", "Snapshots"], swiftSettings: swiftSettings),
        .testTarget(name: "PortalTests",
                    dependencies: ["Portal", "Support", "CryptoWrapper", "TestSupport",
                                   .product(name: "HummingbirdTesting", package: "hummingbird")],
                    exclude: ["Browser"], swiftSettings: swiftSettings),
        .testTarget(name: "FormImportTests",
                    dependencies: ["FormImport", "BieuMau", "FormSchema", "TableLocator", "SheetGrid",
                                   "AppendixModel", "AppendixValidation", "AppendixMerge", "OfficialWorkbook", "TestSupport"],
                    exclude: ["Fixtures"], swiftSettings: swiftSettings),
    ]
)
