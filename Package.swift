// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "cloudmarket",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "cloudmarket", targets: ["cloudmarket"]),
        .library(name: "CloudMarket", targets: ["CloudMarket", "ScenarioIO", "Experiments", "Reports"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // GNU GSL headers and libraries, found through pkg-config.
        .systemLibrary(name: "CGSL", pkgConfig: "gsl", providers: [.apt(["libgsl-dev"])]),
        // Accessors for GSL's C globals and a thread-local error handler: the only C we write.
        .target(name: "GSLShim", dependencies: ["CGSL"]),
        // The only Swift module that touches GSL pointers.
        .target(name: "GSL", dependencies: ["CGSL", "GSLShim"]),
        // The model and its simulation; no file formats.
        .target(name: "CloudMarket", dependencies: ["GSL", "VectorMath"]),
        // Scenario files: parse, extend, override, validate.
        .target(name: "ScenarioIO", dependencies: ["CloudMarket", .product(name: "Yams", package: "Yams")]),
        // exp, log and log1p two values at a time (glibc's libmvec on x86-64 Linux), for the right-hand side's hot loops.
        .target(name: "VectorMath"),
        // An atomic exchange of two paths (renameat2), which Swift's Glibc module does not offer.
        .target(name: "SystemShim"),
        // Experiments that drive the simulation many times: calibration.
        .target(name: "Experiments", dependencies: ["CloudMarket", "GSL", "ScenarioIO"]),
        // CSV, JSON, manifest and run-folder writers.
        .target(
            name: "Reports",
            dependencies: ["CloudMarket", "ScenarioIO", "Experiments", "SystemShim", .product(name: "Yams", package: "Yams")]),
        .executableTarget(
            name: "cloudmarket",
            dependencies: [
                "CloudMarket", "ScenarioIO", "Experiments", "Reports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            resources: [.embedInCode("baseline.yaml")]
        ),
        // `make bench`: in-process timing of a baseline run.
        .executableTarget(
            name: "Benchmarks", dependencies: ["CloudMarket", "ScenarioIO"], path: "Benchmarks",
            // The Python reference model and its SALib benchmark (make bench-python); the sweep throughput script.
            exclude: ["python", "sweep"]),
        // `make scenario-table`: the table of Scenarios/README.md, from real runs.
        .executableTarget(name: "ScenarioTable", path: "Tools/ScenarioTable"),
        .testTarget(name: "GSLTests", dependencies: ["GSL"]),
        .testTarget(name: "VectorMathTests", dependencies: ["VectorMath"]),
        .testTarget(name: "CloudMarketTests", dependencies: ["CloudMarket"]),
        .testTarget(name: "ScenarioIOTests", dependencies: ["ScenarioIO"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "ScenarioIO", "CloudMarket"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "ScenarioIO"]),
        .testTarget(name: "CLITests", dependencies: ["cloudmarket"]),
    ],
    swiftLanguageModes: [.v6]
)
