package io.gatehouse.core.testing;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J binding of every Gatehouse test: records each line of Gatehouse's own loggers at every level
 * (so that even trace output is checked for secrets), other libraries' lines from INFO up (their debug
 * output, such as Jetty's raw buffer dumps, is theirs to answer for), and prints warnings and errors to
 * standard error.
 */
public final class CapturingLoggerProvider implements SLF4JServiceProvider {

    private final ILoggerFactory factory = CapturingLogger::new;
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new BasicMDCAdapter();

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
    }

    private static final class CapturingLogger extends AbstractLogger {
        private static final long serialVersionUID = 1L;

        private final boolean verbose;

        CapturingLogger(String name) {
            this.name = name;
            this.verbose = name.startsWith("io.gatehouse");
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args,
                                                   Throwable t) {
            if (!verbose && (level == Level.DEBUG || level == Level.TRACE)) {
                return;
            }
            StringBuilder sb = new StringBuilder().append(level).append(' ').append(name).append(" - ")
                    .append(MessageFormatter.basicArrayFormat(pattern, args));
            for (Throwable c = t; c != null; c = c.getCause()) {
                sb.append(" | ").append(c);
            }
            String line = sb.toString();
            LogCapture.record(line);
            if (level == Level.WARN || level == Level.ERROR) {
                System.err.println(line);
            }
        }

        @Override
        public boolean isTraceEnabled() {
            return verbose;
        }

        @Override
        public boolean isTraceEnabled(Marker marker) {
            return verbose;
        }

        @Override
        public boolean isDebugEnabled() {
            return verbose;
        }

        @Override
        public boolean isDebugEnabled(Marker marker) {
            return verbose;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isInfoEnabled(Marker marker) {
            return true;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isWarnEnabled(Marker marker) {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled(Marker marker) {
            return true;
        }
    }

}
