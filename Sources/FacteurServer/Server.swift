import FacteurCore
import NIOCore
import NIOPosix
import NIOSSL
import X509
import Crypto
