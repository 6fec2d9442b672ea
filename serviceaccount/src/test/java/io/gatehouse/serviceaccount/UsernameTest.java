package io.gatehouse.serviceaccount;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** apiserver's serviceaccount util_test: MakeUsername / SplitUsername. */
class UsernameTest {

    @ParameterizedTest
    @CsvSource({"foo, bar", "kube-system, default", "ns, sa.with.dots"})
    void makeAndSplitRoundTrip(String namespace, String name) {
        String user = ServiceAccountNames.username(namespace, name);
        assertEquals("system:serviceaccount:" + namespace + ":" + name, user);
        assertArrayEquals(new String[] {namespace, name}, ServiceAccountNames.split(user));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "foo", "system:serviceaccount:", "system:serviceaccount:foo", "system:serviceaccount:foo:",
            "system:serviceaccount::bar", "system:serviceaccount:foo:bar:baz", "system:serviceaccount:foo :bar",
            "system:serviceaccount:foo:bar ", ":bar", "foo:bar", "system:serviceaccount:Foo:bar", "system:serviceaccount:f.o:bar"})
    void splitRejects(String username) {
        assertNull(ServiceAccountNames.split(username));
    }
}
