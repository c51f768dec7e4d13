#!/usr/bin/env python3
"""Print the facts of a SARIF log that the tests check, one per line:

    sarif_facts.py LOG

version, the rule ids of tool.driver.rules, the %SRCROOT% base, and for
each result (in order of place): ruleId, level, its location (uri base:uri:line:col), the
logical location, the related locations, its fingerprint and the files its
fix changes. Fails if the log is not JSON.
"""
import json
import sys


def loc(l):
    p = l["physicalLocation"]
    a = p["artifactLocation"]
    return "%s:%s:%d:%d" % (a.get("uriBaseId", "-"), a["uri"],
                            p["region"]["startLine"], p["region"]["startColumn"])


def main():
    with open(sys.argv[1]) as f:
        log = json.load(f)
    print("version", log["version"])
    run, = log["runs"]
    driver = run["tool"]["driver"]
    print("tool", driver["name"], driver["version"])
    for rule in driver["rules"]:
        print("rule", rule["id"], rule["defaultConfiguration"]["level"])
    for name, base in run.get("originalUriBaseIds", {}).items():
        print("base", name, base["uri"])
    inv, = run["invocations"]
    print("executionSuccessful", str(inv["executionSuccessful"]).lower())
    for n in inv.get("toolExecutionNotifications", []):
        print("notification", n["level"], n["message"]["text"])
    for r in sorted(run["results"], key=lambda r: loc(r["locations"][0])):
        print("result", r["ruleId"], r["level"], loc(r["locations"][0]),
              r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"])
        print("  message", r["message"]["text"])
        for rel in r.get("relatedLocations", []):
            print("  related", loc(rel), rel["message"]["text"])
        for key, value in r["partialFingerprints"].items():
            print("  fingerprint", key, value)
        for fix in r.get("fixes", []):
            for change in fix["artifactChanges"]:
                a = change["artifactLocation"]
                print("  fix", a.get("uriBaseId", "-") + ":" + a["uri"],
                      len(change["replacements"]), "replacements")


if __name__ == "__main__":
    main()
