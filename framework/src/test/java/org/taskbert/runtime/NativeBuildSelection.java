package org.taskbert.runtime;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Makes every test JVM load ND4J's build the way the {@code taskbert} command does ({@link NativeBuild#select}),
 * before any test touches ND4J; registered in META-INF/services, and found by the task modules' tests too through
 * the framework's test jar.
 */
public final class NativeBuildSelection implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        NativeBuild.select();
    }
}
