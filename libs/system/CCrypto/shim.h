// OpenSSL's libcrypto, only for the digests that AWS Signature V4 needs (SHA-256, HMAC-SHA256).
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
