"""Helpers shared by the benchmark scripts in bench/."""
import socket


def free_port():
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port
