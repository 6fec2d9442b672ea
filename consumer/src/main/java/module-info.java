/** A Gatehouse user's application, as a named module: it reads the two method modules it depends on. */
module com.example.consumer {
    requires io.gatehouse.statictoken;
    requires io.gatehouse.bootstrap;
}
