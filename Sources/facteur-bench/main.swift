import ArgumentParser
import NIOPosix
print("bench")
