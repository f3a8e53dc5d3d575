import FacteurServer
import ArgumentParser
print("facteur")
