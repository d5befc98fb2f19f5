#ifndef DYNAMOS_CRABBITMQ_SHIM_H
#define DYNAMOS_CRABBITMQ_SHIM_H

// rabbitmq-c 0.11 as Debian ships it: flat headers.
#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>
#include <amqp_ssl_socket.h>
#include <malloc.h>  // mallopt, for DynamosBus.MessageMemory
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

// Swift cannot call C variadic functions; amqp_login_with_properties takes its SASL arguments as varargs.
static inline amqp_rpc_reply_t dynamos_amqp_login_plain(amqp_connection_state_t state, const char *vhost,
                                                        int channel_max, int frame_max, int heartbeat,
                                                        const amqp_table_t *properties, const char *user,
                                                        const char *password) {
    return amqp_login_with_properties(state, vhost, channel_max, frame_max, heartbeat, properties,
                                      AMQP_SASL_METHOD_PLAIN, user, password);
}

#endif
