import CRabbitMQ
import Glibc

/// One open rabbitmq-c connection: socket, login, and the mapping of replies to ``AMQPError``.
///
/// Confined to the thread of the ``ConnectionLoop`` that made it; never shared (rabbitmq-c's rule).
final class AMQPSession {
    let state: amqp_connection_state_t
    /// Set once the connection is unusable; every later call fails fast.
    private(set) var failure: AMQPError?

    /// Opens the socket (TCP or TLS) and logs in.
    init(endpoint: BrokerEndpoint, connectionName: String) throws(AMQPError) {
        guard let state = amqp_new_connection() else {
            throw AMQPError(.library, message: "rabbitmq-c could not allocate a connection")
        }
        self.state = state
        // On failure deinit runs (every stored property is set) and releases the connection.
        try open(endpoint: endpoint, connectionName: connectionName)
    }

    deinit {
        amqp_destroy_connection(state)
    }

    var socketDescriptor: Int32 { amqp_get_sockfd(state) }

    /// True when rabbitmq-c holds bytes or frames not yet handed out, so polling the socket would wait wrongly.
    var hasBufferedInput: Bool { amqp_data_in_buffer(state) != 0 || amqp_frames_enqueued(state) != 0 }

    /// Closes the connection politely when it is still healthy, then releases it.
    func close() {
        if failure == nil {
            _ = amqp_connection_close(state, AMQP_REPLY_SUCCESS)
            failure = .closedByClient
        }
    }

    /// Marks the connection dead; the loop replaces it.
    func fail(_ error: AMQPError) {
        if failure == nil { failure = error }
    }

    /// Checks the reply of the RPC just made on `channel`; a channel or connection close from the broker is
    /// answered (close-ok) and turned into an error.
    func checkReply(_ what: String, channel: UInt16) throws(AMQPError) {
        let reply = amqp_get_rpc_reply(state)
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            return
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            throw serverException(reply.reply, doing: what, channel: channel)
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            throw libraryFailure(reply.library_error, doing: what)
        default:
            let error = AMQPError.connectionLost("\(what): no reply from the broker")
            fail(error)
            throw error
        }
    }

    /// Turns a non-zero rabbitmq-c status into an error; socket-level failures kill the connection.
    func check(status: Int32, _ what: String) throws(AMQPError) {
        guard status != AMQP_STATUS_OK.rawValue else { return }
        throw libraryFailure(status, doing: what)
    }

    func libraryFailure(_ status: Int32, doing what: String) -> AMQPError {
        let text = String(cString: amqp_error_string2(status))
        let error = AMQPError.connectionLost("\(what): \(text)")
        fail(error)
        return error
    }

    /// Maps a channel.close or connection.close method to an error, acknowledging it to the broker.
    func serverException(_ method: amqp_method_t, doing what: String, channel: UInt16) -> AMQPError {
        switch method.id {
        case AMQP_CHANNEL_CLOSE_METHOD:
            let close = method.decoded!.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            var ok = amqp_channel_close_ok_t(dummy: 0)
            _ = amqp_send_method(state, channel, AMQP_CHANNEL_CLOSE_OK_METHOD, &ok)
            return AMQPError(
                close.reply_code == 403 ? .accessRefused : .channelClosed, replyCode: close.reply_code,
                message: "\(what): \(CValues.string(close.reply_text))", hint: Self.hint(for: close.reply_code))
        case AMQP_CONNECTION_CLOSE_METHOD:
            let close = method.decoded!.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
            var ok = amqp_connection_close_ok_t(dummy: 0)
            _ = amqp_send_method(state, 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &ok)
            let error = AMQPError(
                .connectionLost, replyCode: close.reply_code,
                message: "\(what): the broker closed the connection: \(CValues.string(close.reply_text))",
                hint: "the client reconnects by itself; retry the operation")
            fail(error)
            return error
        default:
            let error = AMQPError(.library, message: "\(what): unexpected method 0x\(String(method.id, radix: 16))")
            fail(error)
            return error
        }
    }

    static func hint(for replyCode: UInt16) -> String? {
        switch replyCode {
        case 404: "declare the queue or exchange first, or check its name"
        case 406: "an existing queue or exchange has other properties; delete it or declare it the same way"
        case 403: "this connection's broker user lacks the permission; each party may use only its own queues and "
            + "publish only with the routing keys its role may emit (see docs/security.md)"
        case 405: "another connection holds the queue exclusively"
        default: nil
        }
    }

    private func open(endpoint: BrokerEndpoint, connectionName: String) throws(AMQPError) {
        let socket: OpaquePointer
        if let tls = endpoint.tls {
            guard let made = amqp_ssl_socket_new(state) else {
                throw AMQPError(.connectionFailed, message: "could not create a TLS socket (OpenSSL)")
            }
            socket = made
            amqp_ssl_socket_set_verify_peer(socket, tls.verifyPeer ? 1 : 0)
            amqp_ssl_socket_set_verify_hostname(socket, tls.verifyPeer ? 1 : 0)
            if let ca = tls.caCertificatePath, amqp_ssl_socket_set_cacert(socket, ca) != AMQP_STATUS_OK.rawValue {
                throw AMQPError(
                    .connectionFailed, message: "cannot load CA certificates from \(ca)",
                    hint: "check the cacertfile path in the broker URL")
            }
            if let certificate = tls.clientCertificatePath, let key = tls.clientKeyPath,
                amqp_ssl_socket_set_key(socket, certificate, key) != AMQP_STATUS_OK.rawValue
            {
                throw AMQPError(
                    .connectionFailed, message: "cannot load client certificate \(certificate) with key \(key)",
                    hint: "check the certfile and keyfile paths in the broker URL")
            }
        } else {
            guard let made = amqp_tcp_socket_new(state) else {
                throw AMQPError(.connectionFailed, message: "could not create a TCP socket")
            }
            socket = made
        }
        var timeout = Self.timeval(endpoint.connectionTimeout)
        let opened = amqp_socket_open_noblock(socket, endpoint.host, Int32(endpoint.port), &timeout)
        guard opened == AMQP_STATUS_OK.rawValue else {
            let text = String(cString: amqp_error_string2(opened))
            throw AMQPError(
                .connectionFailed, message: "cannot connect to \(endpoint.redactedDescription): \(text)",
                hint: endpoint.tls == nil
                    ? "is the broker running? (make broker-start starts a local one)"
                    : "is the TLS listener up, and does the CA match the broker's certificate?")
        }
        _ = amqp_set_handshake_timeout(state, &timeout)
        var rpcTimeout = Self.timeval(.seconds(30))
        _ = amqp_set_rpc_timeout(state, &rpcTimeout)

        let arena = CArena()
        var properties = arena.table([
            "connection_name": .string(connectionName),
            "product": "dynamos",
            "capabilities": .table([
                "consumer_cancel_notify": true, "publisher_confirms": true, "basic.nack": true,
                "connection.blocked": true, "authentication_failure_close": true,
            ]),
        ])
        let reply = dynamos_amqp_login_plain(
            state, endpoint.virtualHost, Int32(endpoint.channelMax), Int32(endpoint.frameMax),
            Int32(endpoint.heartbeatSeconds), &properties, endpoint.user, endpoint.password)
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            return
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            let error = serverException(reply.reply, doing: "login", channel: 0)
            throw AMQPError(
                .authenticationFailed, replyCode: error.replyCode, message: error.message,
                hint: "check the user, password and vhost in \(BrokerEndpoint.environmentVariable)")
        default:
            let text = String(cString: amqp_error_string2(reply.library_error))
            let refused = reply.library_error == AMQP_STATUS_CONNECTION_CLOSED.rawValue
                || reply.library_error == AMQP_STATUS_SOCKET_CLOSED.rawValue
            throw AMQPError(
                refused ? .authenticationFailed : .connectionFailed,
                message: "login to \(endpoint.redactedDescription) failed: \(text)",
                hint: refused
                    ? "check the user, password and vhost in \(BrokerEndpoint.environmentVariable)"
                    : "check that the URL names an AMQP listener")
        }
    }

    static func timeval(_ duration: Duration) -> Glibc.timeval {
        let (seconds, attoseconds) = duration.components
        return Glibc.timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}
