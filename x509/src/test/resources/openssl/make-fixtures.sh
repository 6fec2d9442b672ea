#!/usr/bin/env bash
# Makes the openssl-dialect fixtures that OpensslFixturesTest reads, so the parser is not only tested on
# certificates BouncyCastle made. Not deterministic (fresh keys, serials and dates), so it never runs in CI:
# run it by hand and commit the PEMs it writes. Private keys are deleted at the end; nothing needs them.
#
#   cd x509/src/test/resources/openssl && ./make-fixtures.sh
#
# Writes: root.pem (RSA-2048 CA), intermediate.pem (EC P-384 CA, EKU clientAuth), client.pem (EC P-256,
# subject O=ops/O=dev/CN=carol/UID=carol-uid), client.sha256 (openssl's SHA-256 of client.pem's DER),
# comma.pem (CN="Smith, John", multi-valued RDN O=eng+OU=platform), server-only.pem (EKU serverAuth only),
# expired.pem (valid 2020-2021), revoked.pem and intermediate.crl.pem / intermediate.crl.der (revokes it).
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# openssl knows Kubernetes' UID attribute only by a name declared in an oid_section.
cat > "$work/req.cnf" <<CNF
oid_section = oids
[ oids ]
kubernetesUID = 1.3.6.1.4.1.57683.2
[ req ]
distinguished_name = dn
[ dn ]
CNF

cat > "$work/ca.cnf" <<CNF
oid_section = oids
[ oids ]
kubernetesUID = 1.3.6.1.4.1.57683.2
[ ca ]
default_ca = intermediate
[ intermediate ]
dir = $work
database = $work/index.txt
new_certs_dir = $work
serial = $work/serial
crlnumber = $work/crlnumber
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[ any ]
commonName = optional
organizationName = optional
organizationalUnitName = optional
[ client ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ server ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ intermediate_ca ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ crl ]
authorityKeyIdentifier = keyid
CNF
touch "$work/index.txt"
echo 1000 > "$work/serial"
echo 01 > "$work/crlnumber"

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/root.key" -out root.pem -days 36500 \
  -subj "/O=Gatehouse Test/CN=openssl-root" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null

openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -keyout "$work/intermediate.key" \
  -out "$work/intermediate.csr" -subj "/O=Gatehouse Test/CN=openssl-intermediate" 2>/dev/null
openssl x509 -req -in "$work/intermediate.csr" -CA root.pem -CAkey "$work/root.key" -CAcreateserial \
  -CAserial "$work/root.srl" -days 36000 -sha256 -extfile "$work/ca.cnf" -extensions intermediate_ca \
  -out intermediate.pem 2>/dev/null

issue() { # name subject extensions [startdate enddate]
  openssl req -new -config "$work/req.cnf" -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$work/$1.key" -out "$work/$1.csr" -subj "$2" -multivalue-rdn 2>/dev/null
  local dates=(-days 35000)
  if [ $# -ge 5 ]; then dates=(-startdate "$4" -enddate "$5"); fi
  openssl ca -batch -config "$work/ca.cnf" -cert intermediate.pem -keyfile "$work/intermediate.key" \
    -in "$work/$1.csr" -extensions "$3" "${dates[@]}" -preserveDN -notext -out "$1.pem" 2>/dev/null
}
issue client "/O=ops/O=dev/CN=carol/kubernetesUID=carol-uid" client
issue comma "/CN=Smith\, John/O=eng+OU=platform" client
issue server-only "/CN=openssl-server" server
issue expired "/CN=openssl-expired" client 20200101000000Z 20210101000000Z
issue revoked "/CN=openssl-revoked" client

openssl x509 -in client.pem -outform DER | openssl dgst -sha256 -r | cut -d' ' -f1 > client.sha256

openssl ca -batch -config "$work/ca.cnf" -cert intermediate.pem -keyfile "$work/intermediate.key" \
  -revoke revoked.pem -crl_reason keyCompromise 2>/dev/null
openssl ca -batch -config "$work/ca.cnf" -cert intermediate.pem -keyfile "$work/intermediate.key" \
  -gencrl -crldays 36000 -crlexts crl -out intermediate.crl.pem 2>/dev/null
openssl crl -in intermediate.crl.pem -outform DER -out intermediate.crl.der
echo "wrote fixtures with $(openssl version)"
