// swift-tools-version: 6.1
import PackageDescription

/// Shared by every target: Swift 6 language mode with strict concurrency and upcoming features on.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Dynamos",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "dynamos", targets: ["DynamosCLI"]),
        .library(name: "DynamosBus", targets: ["DynamosBus"]),
        .library(name: "DynamosMessages", targets: ["DynamosMessages"]),
        .library(name: "DynamosRouting", targets: ["DynamosRouting"]),
        .library(name: "DynamosRuntime", targets: ["DynamosRuntime"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.1.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        // The bus: rabbitmq-c wrapped once, and the only Swift module that imports it.
        .systemLibrary(
            name: "CRabbitMQ",
            path: "Sources/CRabbitMQ",
            pkgConfig: "librabbitmq",
            providers: [.apt(["librabbitmq-dev"])]
        ),
        .target(
            name: "DynamosBus",
            dependencies: [
                "CRabbitMQ",
                "DynamosErrors",
                "DynamosQueues",
                "DynamosWaiting",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Route signing: per-party Ed25519 keys, signed routes and tickets, verification with public keys only.
        .target(
            name: "DynamosRouteSigning",
            dependencies: ["DynamosErrors", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // The message contract: generated protobuf code, the columnar table model, and signed first messages.
        .target(
            name: "DynamosMessages",
            dependencies: ["DynamosErrors", "DynamosRouteSigning", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: swiftSettings
        ),
        // Synthetic UNL-shaped data (Personen, Aanstellingen), deterministic by seed.
        .target(
            name: "DynamosDatagen",
            dependencies: ["DynamosMessages"],
            swiftSettings: swiftSettings
        ),
        // Child processes started, watched and reaped without Foundation's Process: workers, broker scripts.
        .target(name: "DynamosProcess", dependencies: ["DynamosErrors", "DynamosWaiting"], swiftSettings: swiftSettings),
        // Benchmarks: the bus against raw rabbitmq-c, the worker chain, and over HTTP the thesis's latency
        // experiment (persistent warm/cold against ephemeral) and open/closed-loop load.
        .target(
            name: "DynamosBench",
            dependencies: [
                "DynamosBus",
                "DynamosCharts",
                "DynamosClient",
                "DynamosControl",
                "DynamosDatagen",
                "DynamosEnsemble",
                "DynamosErrors",
                "DynamosKnowledge",
                "DynamosMessages",
                "DynamosProcess",
                "DynamosQueryEngine",
                "DynamosQueues",
                "DynamosRouteSigning",
                "DynamosStatusLines",
                "DynamosStewardConfig",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        // The one definition of Dynamos queue names, shared by the router, the bus and everyone who addresses a queue.
        .target(name: "DynamosQueues", swiftSettings: swiftSettings),
        // What a steward declares about itself: datasets with their anonymization rules, settings and query budgets.
        .target(name: "DynamosStewardConfig", dependencies: ["DynamosErrors"], swiftSettings: swiftSettings),
        // The config model: what the parties agreed and declared (knowledge base, agreements, archetypes, services,
        // request types, roles), decoded and validated; the router plans over it, the control plane pushes it.
        .target(
            name: "DynamosKnowledge",
            dependencies: ["DynamosErrors", "DynamosStewardConfig"],
            swiftSettings: swiftSettings
        ),
        // The router: knowledge base, chains, per-party paths, archetype selection.
        .target(
            name: "DynamosRouting",
            dependencies: [
                "DynamosKnowledge",
                "DynamosQueues",
                "DynamosStewardConfig",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Routing/DynamosRouting",
            swiftSettings: swiftSettings
        ),
        // Broker identities: one user per party and the orchestrator, with permissions and topic permissions derived
        // from the router's config, as a RabbitMQ definitions file.
        .target(
            name: "DynamosBrokerAccess",
            dependencies: ["DynamosErrors", "DynamosKnowledge", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // The shape every error shares: a message, an optional code, the wrapped error kept whole.
        .target(name: "DynamosErrors", swiftSettings: swiftSettings),
        // The one waiting primitive: callers waiting for a value by key, with timeouts and cancellation.
        .target(name: "DynamosWaiting", swiftSettings: swiftSettings),
        // The status lines processes print: a worker's events for its supervisor (encoding and scanner), daemons' ready lines.
        .target(name: "DynamosStatusLines", swiftSettings: swiftSettings),
        // The worker runtime: consume, verify the route, run a service handler, hand on, ack; drain and once mode.
        .target(
            name: "DynamosRuntime",
            dependencies: [
                "DynamosBus",
                "DynamosErrors",
                "DynamosMessages",
                "DynamosQueues",
                "DynamosRouteSigning",
                "DynamosStatusLines",
                "DynamosWaiting",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: swiftSettings
        ),
        // The query worker's data engine: CSV datasets in SQLite, guarded read-only queries, columnar results.
        .target(
            name: "DynamosQueryEngine",
            dependencies: [
                "DynamosErrors",
                "DynamosMessages",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            path: "Workers/QueryEngine",
            swiftSettings: swiftSettings
        ),
        // The anonymize worker's rules: generalize, mask and perturb columns as the dataset says.
        .target(
            name: "DynamosAnonymizeWorker",
            dependencies: [
                "DynamosErrors",
                "DynamosMessages",
                "DynamosStewardConfig",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Workers/AnonymizeWorker",
            swiftSettings: swiftSettings
        ),
        // The algorithm worker: grouped statistics, the wage gap and row inspection over a table.
        .target(
            name: "DynamosAlgorithmWorker",
            dependencies: ["DynamosErrors", "DynamosMessages"],
            path: "Workers/AlgorithmWorker",
            swiftSettings: swiftSettings
        ),
        // The aggregate worker's merging: parts from several providers into one table, partial aggregates exactly.
        .target(
            name: "DynamosAggregateWorker",
            dependencies: ["DynamosAlgorithmWorker", "DynamosErrors", "DynamosMessages"],
            path: "Workers/AggregateWorker",
            swiftSettings: swiftSettings
        ),
        // Cairo, wrapped once for the graph worker.
        .systemLibrary(
            name: "CCairo",
            path: "Sources/CCairo",
            pkgConfig: "cairo",
            providers: [.apt(["libcairo2-dev"])]
        ),
        // The graph worker: a result table drawn as a PNG and an SVG chart.
        .target(
            name: "DynamosCharts",
            dependencies: ["CCairo", "DynamosErrors", "DynamosMessages"],
            path: "Workers/Charts",
            swiftSettings: swiftSettings
        ),
        // The five data services as worker handlers, and the catalog that makes one by name.
        .target(
            name: "DynamosServices",
            dependencies: [
                "DynamosAggregateWorker",
                "DynamosAlgorithmWorker",
                "DynamosAnonymizeWorker",
                "DynamosBus",
                "DynamosCharts",
                "DynamosMessages",
                "DynamosProcess",
                "DynamosQueryEngine",
                "DynamosQueues",
                "DynamosRouteSigning",
                "DynamosRuntime",
                "DynamosStewardConfig",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Workers/Services",
            swiftSettings: swiftSettings
        ),
        // The control plane's shared contract: HTTP bodies, bus control messages and access tokens (EdDSA JWTs).
        .target(
            name: "DynamosControl",
            dependencies: ["DynamosErrors", "DynamosKnowledge", "DynamosRouteSigning"],
            swiftSettings: swiftSettings
        ),
        // Access tokens, session tokens and signed control messages: EdDSA JWTs the orchestrator issues and parties check.
        .target(
            name: "DynamosTokens",
            dependencies: ["DynamosControl", .product(name: "JWTKit", package: "jwt-kit")],
            swiftSettings: swiftSettings
        ),
        // Graceful shutdown for the daemons' services: run until the ServiceGroup shuts down, which is not a failure.
        .target(
            name: "DynamosLifecycle",
            dependencies: [.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")],
            swiftSettings: swiftSettings
        ),
        // Hummingbird glue the orchestrator and agents share: JSON bodies in and out, control errors as JSON responses.
        .target(
            name: "DynamosHTTP",
            dependencies: [
                "DynamosControl",
                "DynamosErrors",
                "DynamosTokens",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        // The orchestrator: approval, policy enforcement, archetype selection, agent registry, config API, tokens.
        .target(
            name: "DynamosOrchestrator",
            dependencies: [
                "DynamosBus",
                "DynamosControl",
                "DynamosControlBus",
                "DynamosErrors",
                "DynamosHTTP",
                "DynamosKnowledge",
                "DynamosLifecycle",
                "DynamosQueues",
                "DynamosRouting",
                "DynamosStatusLines",
                "DynamosStewardConfig",
                "DynamosTokens",
                "DynamosWaiting",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The supervisor of a party's workers: pools, restarts with backoff, the reaper, scaling, scale from zero.
        .target(
            name: "DynamosSupervisor",
            dependencies: [
                "DynamosControl",
                "DynamosErrors",
                "DynamosProcess",
                "DynamosStatusLines",
                "DynamosWaiting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        // An operator's tools for a party's dead-letter queue: list with reasons, show, replay after a fix, purge.
        .target(
            name: "DynamosDeadLetters",
            dependencies: [
                "DynamosBus",
                "DynamosControl",
                "DynamosMessages",
                "DynamosQueues",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // The agent of one party: HTTP entry for data requests, job registry, route signing, result correlation.
        .target(
            name: "DynamosAgent",
            dependencies: [
                "DynamosBus",
                "DynamosControl",
                "DynamosControlBus",
                "DynamosDeadLetters",
                "DynamosErrors",
                "DynamosHTTP",
                "DynamosKnowledge",
                "DynamosLifecycle",
                "DynamosMessages",
                "DynamosQueues",
                "DynamosRouteSigning",
                "DynamosRouting",
                "DynamosStatusLines",
                "DynamosStewardConfig",
                "DynamosSupervisor",
                "DynamosTokens",
                "DynamosWaiting",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The control plane's bus transport: control messages over RabbitMQ, with the sender the broker vouches for.
        .target(
            name: "DynamosControlBus",
            dependencies: ["DynamosBus", "DynamosControl", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // The local ensemble `dynamos up` runs: broker and its users, keys, orchestrator, agents.
        .target(
            name: "DynamosEnsemble",
            dependencies: [
                "DynamosBrokerAccess",
                "DynamosBus",
                "DynamosClient",
                "DynamosControl",
                "DynamosDatagen",
                "DynamosErrors",
                "DynamosKnowledge",
                "DynamosProcess",
                "DynamosRouteSigning",
                "DynamosStatusLines",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "X509", package: "swift-certificates"),
            ],
            swiftSettings: swiftSettings
        ),
        // The analyst's and operator's HTTP clients (approval, data requests, pools) and where the local ensemble is.
        .target(
            name: "DynamosClient",
            dependencies: [
                "DynamosControl",
                "DynamosRouteSigning",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "DynamosCLI",
            dependencies: [
                "DynamosAgent",
                "DynamosBench",
                "DynamosBrokerAccess",
                "DynamosBus",
                "DynamosClient",
                "DynamosControl",
                "DynamosDatagen",
                "DynamosEnsemble",
                "DynamosHTTP",
                "DynamosKnowledge",
                "DynamosMessages",
                "DynamosOrchestrator",
                "DynamosRouteSigning",
                "DynamosRouting",
                "DynamosServices",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Helpers shared by the integration tests (bounded waits).
        .target(name: "DynamosTestSupport", path: "Tests/DynamosTestSupport", swiftSettings: swiftSettings),
        .testTarget(
            name: "DynamosBusTests",
            dependencies: [
                "DynamosBus",
                "DynamosProcess",
                "DynamosQueues",
                "DynamosTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DynamosMessagesTests",
            dependencies: [
                "DynamosDatagen",
                "DynamosMessages",
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DynamosSecurityTests",
            dependencies: [
                "DynamosBrokerAccess",
                "DynamosBus",
                "DynamosKnowledge",
                "DynamosMessages",
                "DynamosProcess",
                "DynamosQueues",
                "DynamosRouteSigning",
                "DynamosRuntime",
                "DynamosStewardConfig",
                "DynamosTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DynamosRouteSigningTests",
            dependencies: ["DynamosMessages", "DynamosRouteSigning"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DynamosRoutingTests",
            dependencies: [
                "DynamosKnowledge",
                "DynamosQueues",
                "DynamosRouting",
                "DynamosStewardConfig",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "DynamosErrorsTests", dependencies: ["DynamosErrors"], swiftSettings: swiftSettings),
        .testTarget(name: "DynamosProcessTests", dependencies: ["DynamosProcess"], swiftSettings: swiftSettings),
        .testTarget(
            name: "DynamosWaitingTests",
            dependencies: ["DynamosWaiting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DynamosStatusLinesTests",
            dependencies: ["DynamosStatusLines"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DynamosRuntimeTests",
            dependencies: [
                "DynamosBus",
                "DynamosMessages",
                "DynamosQueues",
                "DynamosRouteSigning",
                "DynamosRuntime",
                "DynamosStatusLines",
                "DynamosTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DynamosQueryEngineTests",
            dependencies: [
                "DynamosDatagen",
                "DynamosMessages",
                "DynamosQueryEngine",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DynamosAnonymizeWorkerTests",
            dependencies: ["DynamosAnonymizeWorker", "DynamosKnowledge", "DynamosMessages", "DynamosStewardConfig"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DynamosAlgorithmWorkerTests",
            dependencies: ["DynamosAlgorithmWorker", "DynamosMessages"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DynamosAggregateWorkerTests",
            dependencies: ["DynamosAggregateWorker", "DynamosAlgorithmWorker", "DynamosMessages"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DynamosChartsTests",
            dependencies: ["DynamosCharts", "DynamosMessages"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DynamosServicesTests",
            dependencies: [
                "DynamosAlgorithmWorker",
                "DynamosBus",
                "DynamosControl",
                "DynamosDatagen",
                "DynamosDeadLetters",
                "DynamosKnowledge",
                "DynamosMessages",
                "DynamosProcess",
                "DynamosQueues",
                "DynamosRouteSigning",
                "DynamosRuntime",
                "DynamosServices",
                "DynamosStatusLines",
                "DynamosStewardConfig",
                "DynamosTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DynamosControlTests",
            dependencies: [
                "DynamosControl",
                "DynamosDatagen",
                "DynamosKnowledge",
                "DynamosRouteSigning",
                "DynamosStewardConfig",
                "DynamosTokens",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DynamosAgentTests",
            dependencies: [
                "DynamosAgent",
                "DynamosBus",
                "DynamosControl",
                "DynamosControlBus",
                "DynamosKnowledge",
                "DynamosMessages",
                "DynamosQueues",
                "DynamosRouteSigning",
                "DynamosRouting",
                "DynamosSupervisor",
                "DynamosTestSupport",
                "DynamosTokens",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DynamosOrchestratorTests",
            dependencies: [
                "DynamosBus",
                "DynamosControl",
                "DynamosControlBus",
                "DynamosKnowledge",
                "DynamosOrchestrator",
                "DynamosQueues",
                "DynamosRouting",
                "DynamosStewardConfig",
                "DynamosTokens",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DynamosControlPlaneTests",
            dependencies: [
                "DynamosBench",
                "DynamosBus",
                "DynamosCharts",
                "DynamosClient",
                "DynamosControl",
                "DynamosControlBus",
                "DynamosEnsemble",
                "DynamosKnowledge",
                "DynamosOrchestrator",
                "DynamosProcess",
                "DynamosQueues",
                "DynamosRouteSigning",
                "DynamosStewardConfig",
                "DynamosSupervisor",
                "DynamosTokens",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DynamosSupervisorTests",
            dependencies: [
                "DynamosBus",
                "DynamosControl",
                "DynamosKnowledge",
                "DynamosMessages",
                "DynamosRouteSigning",
                "DynamosStatusLines",
                "DynamosSupervisor",
                "DynamosTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DynamosBenchTests",
            dependencies: [
                "DynamosBench",
                "DynamosBus",
                "DynamosCharts",
                "DynamosControl",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
