# Helpers shared by the scripts that start a gridlink server (sourced, not run).

# A free TCP port on 127.0.0.1 (the kernel picks one; tiny race until gridlink binds it).
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# json_field FIELD < json  -> prints the string value of FIELD from the last JSON object line in stdin.
json_field() {
    python3 -c '
import json, sys
field = sys.argv[1]
obj = None
for line in sys.stdin.read().splitlines():
    line = line.strip()
    if line.startswith("{"):
        try:
            obj = json.loads(line)
        except ValueError:
            pass
if not isinstance(obj, dict) or not isinstance(obj.get(field), str) or not obj[field]:
    sys.exit("no string field %r in JSON output" % field)
print(obj[field])
' "$1"
}
