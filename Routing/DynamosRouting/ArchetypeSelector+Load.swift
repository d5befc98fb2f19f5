import DynamosKnowledge
extension ArchetypeSelector {
    /// The thesis load rule: a steward above its CPU or memory threshold hands its computation to the compute
    /// provider, when its own agreement allows an archetype that does; the others keep the chosen archetype.
    func offloadOverloaded(
        _ assignments: inout [StewardAssignment], request: SelectionRequest, allowed: [String: [String]],
        status: [String: PartyStatus], computeProvider: String?, reasons: inout [String]
    ) {
        for index in assignments.indices {
            let steward = assignments[index].steward
            let load = status[steward, default: .unknown]
            let thresholds = knowledgeBase.settings(of: steward)?.loadThresholds ?? .init()
            guard load.cpu > thresholds.cpu || load.memory > thresholds.memory else { continue }
            let measured =
                "CPU \(percent(load.cpu)) (threshold \(percent(thresholds.cpu))), "
                + "memory \(percent(load.memory)) (threshold \(percent(thresholds.memory)))"
            guard let computeProvider else {
                reasons.append("\(steward) is overloaded (\(measured)) but no compute provider is available")
                continue
            }
            let offload = allowed[steward, default: []]
                .compactMap { knowledgeBase.archetype(named: $0) }
                .filter { $0.computeProvider == .other && !cannotRun($0, request: request) }
                .min { ($0.weight, $0.name) < ($1.weight, $1.name) }
            guard let offload else {
                reasons.append(
                    "\(steward) is overloaded (\(measured)) but its agreement allows no offloading archetype")
                continue
            }
            assignments[index].archetype = offload.name
            reasons.append("\(steward) offloads to \(computeProvider) under \(offload.name): \(measured)")
        }
    }

    private func cannotRun(_ archetype: Archetype, request: SelectionRequest) -> Bool {
        let type = knowledgeBase.requestType(named: request.requestType)
        return request.options.contains { option in
            (type?.services(forOption: option) ?? []).contains { service in
                knowledgeBase.microservice(named: service)?.invalidArchetypes.contains(archetype.name) ?? false
            }
        }
    }

    private func percent(_ fraction: Double) -> String { "\(Int((fraction * 100).rounded()))%" }
}
