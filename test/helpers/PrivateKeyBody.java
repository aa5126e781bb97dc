// Prints the base64 body of a PKCS12 keystore's private key (PKCS#8 DER, as a PEM file would hold it),
// for tests that check no file or log contains it. Run as a single-file program:
//   java test/helpers/PrivateKeyBody.java STORE ALIAS   (the store password in WINDOWPANE_STORE_PASS)
import java.io.FileInputStream;
import java.security.Key;
import java.security.KeyStore;
import java.util.Base64;

public class PrivateKeyBody {
  public static void main(String[] args) throws Exception {
    char[] password = System.getenv("WINDOWPANE_STORE_PASS").toCharArray();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (FileInputStream in = new FileInputStream(args[0])) {
      store.load(in, password);
    }
    Key key = store.getKey(args[1], password);
    System.out.print(Base64.getEncoder().encodeToString(key.getEncoded()));
  }
}
