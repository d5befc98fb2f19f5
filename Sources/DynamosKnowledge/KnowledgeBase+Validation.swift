import DynamosStewardConfig
extension KnowledgeBase {
    /// Refuses a knowledge base the router could not use.
    ///
    /// Checks unknown services, archetypes, request types and parties; dangling outputs; cycles in the service
    /// graph; label mismatches (a `computeProvider` service sending back to a `dataProvider` one).
    /// - Parameter origin: prefixed to file names in messages, e.g. `Deploy/config/`.
    /// - Throws: `RoutingError` naming the file, the entry and the problem.
    public func validate(origin: String = "") throws(RoutingError) {
        func fail(_ code: RoutingError.Code, _ kind: ConfigKind, _ entry: String, _ problem: String) -> RoutingError {
            RoutingError(code, "\(origin)\(kind.fileName), entry '\(entry)': \(problem)")
        }
        for kind in ConfigKind.allCases {
            var seen = Set<String>()
            for name in names(of: kind) where !seen.insert(name).inserted {
                throw fail(.invalidConfig, kind, name, "defined twice; keep one definition")
            }
        }
        let services = Set(microservices.map(\.name))
        let archetypeNames = Set(archetypes.map(\.name))
        let parties = Set(stewards.map(\.name))
        let known = services.sorted().joined(separator: ", ")
        for service in microservices {
            for output in service.allowedOutputs {
                guard let target = microservice(named: output) else {
                    throw fail(
                        .danglingOutput, .microservices, service.name,
                        "allowedOutputs names '\(output)', which is not a microservice; define it or remove it")
                }
                if service.label == .computeProvider, target.label == .dataProvider {
                    throw fail(
                        .labelMismatch, .microservices, service.name,
                        "is labelled computeProvider but outputs to dataProvider service '\(output)'; data must "
                            + "not flow back to a data provider, so relabel one of them or drop the output")
                }
            }
            for archetype in service.invalidArchetypes where !archetypeNames.contains(archetype) {
                throw fail(
                    .unknownArchetype, .microservices, service.name,
                    "invalidArchetypes names unknown archetype '\(archetype)'; define it in archetypes.json "
                        + "or remove it")
            }
        }
        if let cycle = ServiceGraph(microservices: microservices, selecting: services).cycle() {
            throw fail(
                .cycle, .microservices, cycle[0],
                "allowedOutputs form a cycle \(cycle.joined(separator: " -> ")); remove one of these outputs")
        }
        for type in requestTypes {
            let listed = type.requiredServices + type.optionalServices.flatMap(\.services)
            for service in listed where !services.contains(service) {
                throw fail(
                    .unknownService, .requestTypes, type.name,
                    "names unknown service '\(service)'; use one of \(known) or add it to microservices.json")
            }
        }
        for archetype in archetypes {
            for service in archetype.impliedServices where !services.contains(service) {
                throw fail(
                    .unknownService, .archetypes, archetype.name,
                    "impliedServices names unknown service '\(service)'; use one of \(known)")
            }
        }
        for settings in stewards {
            guard (1...StewardSettings.maximumWorkersPerPool).contains(settings.maxWorkersPerPool),
                settings.idleTimeoutSeconds > 0, settings.idleTimeoutSeconds <= 7 * 86_400
            else {
                throw fail(
                    .invalidConfig, .stewards, settings.name,
                    "needs maxWorkersPerPool in 1...\(StewardSettings.maximumWorkersPerPool) and idleTimeoutSeconds in "
                        + "1...604800")
            }
            if let k = settings.minimumGroupSize, !(1...StewardSettings.maximumGroupSizeLimit).contains(k) {
                throw fail(
                    .invalidConfig, .stewards, settings.name,
                    "needs minimumGroupSize in 1...\(StewardSettings.maximumGroupSizeLimit), got \(k)")
            }
            if let runs = settings.maxEphemeralRuns, !(1...256).contains(runs) {
                throw fail(.invalidConfig, .stewards, settings.name, "needs maxEphemeralRuns in 1...256, got \(runs)")
            }
            if let requests = settings.maxRequestsPerUser, !(1...10_000).contains(requests) {
                throw fail(
                    .invalidConfig, .stewards, settings.name, "needs maxRequestsPerUser in 1...10000, got \(requests)")
            }
            if let problem = settings.queryBudget?.problem {
                throw fail(.invalidConfig, .stewards, settings.name, problem)
            }
            for (requestType, enforced) in settings.enforcedServices.sorted(by: { $0.key < $1.key }) {
                guard self.requestType(named: requestType) != nil else {
                    throw fail(
                        .unknownRequestType, .stewards, settings.name,
                        "enforcedServices names unknown request type '\(requestType)'; define it or remove it")
                }
                for service in enforced where !services.contains(service) {
                    throw fail(
                        .unknownService, .stewards, settings.name,
                        "enforces unknown service '\(service)'; use one of \(known)")
                }
            }
        }
        for agreement in agreements {
            guard parties.contains(agreement.name) else {
                throw fail(
                    .unknownParty, .agreements, agreement.name,
                    "is for a party missing from stewards.json; add the party there first")
            }
            for (user, relation) in agreement.relations.sorted(by: { $0.key < $1.key }) {
                for type in relation.requestTypes where requestType(named: type) == nil {
                    throw fail(
                        .unknownRequestType, .agreements, agreement.name,
                        "relation '\(user)' allows unknown request type '\(type)'; define it or remove it")
                }
                for archetype in relation.allowedArchetypes where !archetypeNames.contains(archetype) {
                    throw fail(
                        .unknownArchetype, .agreements, agreement.name,
                        "relation '\(user)' allows unknown archetype '\(archetype)'; define it or remove it")
                }
                for algorithm in relation.allowedAlgorithms ?? [] where !Agreement.knownAlgorithms.contains(algorithm) {
                    throw fail(
                        .invalidConfig, .agreements, agreement.name,
                        "relation '\(user)' allows unknown algorithm '\(algorithm)'; use one of "
                            + Agreement.knownAlgorithms.joined(separator: ", "))
                }
                for provider in relation.allowedComputeProviders where !parties.contains(provider) {
                    throw fail(
                        .unknownParty, .agreements, agreement.name,
                        "relation '\(user)' allows unknown compute provider '\(provider)'; add it to stewards.json")
                }
            }
        }
        for dataset in datasets where !parties.contains(dataset.steward) {
            throw fail(
                .unknownParty, .datasets, dataset.name,
                "belongs to unknown steward '\(dataset.steward)'; add it to stewards.json")
        }
        for dataset in datasets {
            try validateAnonymization(of: dataset, origin: origin)
        }
    }

    /// Refuses unusable rule parameters and a column name given two different rules in one dataset.
    private func validateAnonymization(of dataset: Dataset, origin: String) throws(RoutingError) {
        func fail(_ problem: String) -> RoutingError {
            RoutingError(
                .invalidConfig,
                "\(origin)\(ConfigKind.datasets.fileName), entry '\(dataset.steward)/\(dataset.name)': \(problem)")
        }
        var first: [String: (table: String, rule: Dataset.AnonymizationRule)] = [:]
        for table in dataset.tables {
            for (column, rule) in table.anonymization.sorted(by: { $0.key < $1.key }) {
                if let problem = rule.parameterProblem {
                    throw fail("table '\(table.name)', column '\(column)': \(problem)")
                }
                if let earlier = first[column], earlier.rule != rule {
                    throw fail(
                        "column '\(column)' has rule \(earlier.rule) in table '\(earlier.table)' but \(rule) in "
                            + "table '\(table.name)'; a column name gets one rule per dataset, so make them equal")
                }
                first[column] = first[column] ?? (table.name, rule)
            }
        }
    }
}
