/// The `allowedOutputs` graph restricted to a set of services: ordering and cycle detection for chains.
///
/// Deterministic: among services that are ready at the same time, the one with the smaller name comes first.
package struct ServiceGraph: Sendable {
    package let nodes: [String]
    package let edges: [String: [String]]

    package init(microservices: [Microservice], selecting selected: Set<String>) {
        nodes = selected.sorted()
        var edges: [String: [String]] = [:]
        for service in microservices where selected.contains(service.name) {
            edges[service.name] = Set(service.allowedOutputs.filter { selected.contains($0) }).sorted()
        }
        self.edges = edges
    }

    package func hasEdge(from source: String, to target: String) -> Bool { edges[source]?.contains(target) ?? false }

    /// Kahn's algorithm; nil when the graph has a cycle.
    package func topologicalOrder() -> [String]? {
        var indegree = Dictionary(uniqueKeysWithValues: nodes.map { ($0, 0) })
        for targets in edges.values {
            for target in targets { indegree[target, default: 0] += 1 }
        }
        var ready = nodes.filter { indegree[$0] == 0 }
        var order: [String] = []
        while !ready.isEmpty {
            let next = ready.removeFirst()
            order.append(next)
            for target in edges[next] ?? [] {
                indegree[target, default: 0] -= 1
                if indegree[target] == 0 {
                    ready.append(target)
                    ready.sort()
                }
            }
        }
        return order.count == nodes.count ? order : nil
    }

    /// One cycle, as a closed walk (`a -> b -> a`), or nil when the graph is acyclic.
    package func cycle() -> [String]? {
        var state: [String: Bool] = [:]
        var stack: [String] = []
        func visit(_ node: String) -> [String]? {
            state[node] = false
            stack.append(node)
            for target in edges[node] ?? [] {
                if state[target] == false, let start = stack.firstIndex(of: target) {
                    return Array(stack[start...]) + [target]
                }
                if state[target] == nil, let found = visit(target) { return found }
            }
            stack.removeLast()
            state[node] = true
            return nil
        }
        for node in nodes where state[node] == nil {
            if let found = visit(node) { return found }
        }
        return nil
    }
}
